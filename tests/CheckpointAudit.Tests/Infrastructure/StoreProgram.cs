namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>
/// The source most rule tests verify: the models under test, then a <c>Store</c> class whose body saves or loads
/// them, with System, collections, System.IO and System.Text.Json in scope plus the namespaces a test adds.
/// </summary>
internal static class StoreProgram
{
    public static string Of(string models, string body, params string[] usings)
        => string.Join(
            "\n",
            new[] { "#nullable enable", "using System;", "using System.Collections.Generic;", "using System.IO;", "using System.Text.Json;" }
                .Concat(usings.Select(u => $"using {u};"))
                .Concat(new[] { string.Empty, models, string.Empty, "class Store", "{", body, "}" }));
}
