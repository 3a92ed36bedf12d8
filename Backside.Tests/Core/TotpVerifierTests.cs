using Backside.Core.Identity;

namespace Backside.Tests.Core;

public class TotpVerifierTests
{
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 10, TimeSpan.Zero);
    private static readonly long CurrentStep = Now.ToUnixTimeSeconds() / 30;

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1)]
    public void Codes_of_the_current_previous_and_next_step_are_accepted(int stepOffset)
    {
        var code = TotpVerifier.Compute(Secret, Now.AddSeconds(30 * stepOffset));

        Assert.Equal(CurrentStep + stepOffset, TotpVerifier.Verify(Secret, code, Now, lastAcceptedStep: null));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    [InlineData(-10)]
    public void Codes_two_or_more_steps_away_are_refused(int stepOffset)
    {
        var code = TotpVerifier.Compute(Secret, Now.AddSeconds(30 * stepOffset));

        Assert.Null(TotpVerifier.Verify(Secret, code, Now, lastAcceptedStep: null));
    }

    [Fact]
    public void A_code_already_accepted_is_refused_when_presented_again()
    {
        var code = TotpVerifier.Compute(Secret, Now);
        var step = TotpVerifier.Verify(Secret, code, Now, lastAcceptedStep: null);

        Assert.NotNull(step);
        Assert.Null(TotpVerifier.Verify(Secret, code, Now.AddSeconds(5), lastAcceptedStep: step));
    }

    [Fact]
    public void An_older_code_is_refused_once_a_newer_one_was_accepted()
    {
        var previous = TotpVerifier.Compute(Secret, Now.AddSeconds(-30));

        Assert.Null(TotpVerifier.Verify(Secret, previous, Now, lastAcceptedStep: CurrentStep));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("abcdef")]
    public void Malformed_codes_are_refused(string? code)
    {
        Assert.Null(TotpVerifier.Verify(Secret, code, Now, lastAcceptedStep: null));
    }

    [Fact]
    public void Spaces_in_a_typed_code_are_ignored()
    {
        var code = TotpVerifier.Compute(Secret, Now);

        Assert.Equal(CurrentStep, TotpVerifier.Verify(Secret, $"{code[..3]} {code[3..]}", Now, lastAcceptedStep: null));
    }
}
