using Microsoft.Playwright;

namespace Backside.Tests.Accessibility;

/// <summary>A page (or a dialog on one) the accessibility test checks: who looks at it and how they get there.</summary>
public sealed record CheckedPage(string Name, Persona Persona, Func<IPage, AccessibilityFixture, Task> Open)
{
    public override string ToString() => Name;
}
