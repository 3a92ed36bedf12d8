namespace Backside.Core.Common;

public interface IHasEntityId
{
    string Id { get; }
}
