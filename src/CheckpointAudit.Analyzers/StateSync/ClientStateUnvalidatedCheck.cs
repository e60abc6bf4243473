using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.StateSync;

/// <summary>
/// CKPT702 (live): state a web app kept in the browser, read back as if it could only be what this build wrote.
/// <list type="bullet">
/// <item>Blazor's <c>ProtectedLocalStorage</c>/<c>ProtectedSessionStorage.GetAsync&lt;T&gt;</c> with no catch of
/// <c>CryptographicException</c> (another key ring: a redeploy, rotated keys) and <c>JsonException</c> (an older shape)
/// around it or around every call of its method; and its result's <c>Value</c> read in a method that never tests
/// <c>Success</c>.</item>
/// <item>Blazored's <c>GetItemAsync&lt;T&gt;</c>/<c>GetItem&lt;T&gt;</c> (local and session storage) with no catch of
/// <c>JsonException</c>.</item>
/// <item><c>localStorage.getItem</c>/<c>sessionStorage.getItem</c> through <c>IJSRuntime</c> whose text is parsed
/// (System.Text.Json, Newtonsoft.Json) with no catch of the parser's exception.</item>
/// </list>
/// Reported at the read (the parse, for the JS form; the <c>Value</c>, for the unchecked result).
/// </summary>
public sealed class ClientStateUnvalidatedCheck : RuleCheck
{
    private const string Corrupt = "an entry protected under an earlier key ring (a redeploy, rotated keys) or written by an older build in another shape throws on every load, so the page fails until the user clears the site's data";
    private const string Stale = "an entry written by an older build in another shape throws on every load, so the page fails until the user clears the site's data";

    /// <summary>Marks a storage read with no catch that the fix can guard; its value is the storage's delete method ("DeleteAsync", "RemoveItemAsync", "RemoveItem").</summary>
    public const string GuardableReadProperty = "GuardableRead";

    /// <summary>With <see cref="GuardableReadProperty"/>: whether the read can also throw CryptographicException ("true" for protected storage).</summary>
    public const string ProtectedProperty = "Protected";

    private static readonly ImmutableDictionary<string, string?> GuardableProtectedRead = ImmutableDictionary<string, string?>.Empty
        .Add(GuardableReadProperty, "DeleteAsync").Add(ProtectedProperty, "true");

    private static readonly ImmutableDictionary<string, string?> GuardableBlazoredRead = ImmutableDictionary<string, string?>.Empty
        .Add(GuardableReadProperty, "RemoveItemAsync");

    private static readonly ImmutableDictionary<string, string?> GuardableBlazoredSyncRead = ImmutableDictionary<string, string?>.Empty
        .Add(GuardableReadProperty, "RemoveItem");

    public ClientStateUnvalidatedCheck()
        : base(RuleCatalog.ClientStateUnvalidated)
    {
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        var compilation = start.Compilation;
        var protectedStorage = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage.ProtectedBrowserStorage");
        var protectedResult = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage.ProtectedBrowserStorageResult`1");
        var jsRuntime = KnownTypes.Get(compilation, "Microsoft.JSInterop.IJSRuntime");
        var json = KnownTypes.Get(compilation, "System.Text.Json.JsonException");
        var crypto = KnownTypes.Get(compilation, "System.Security.Cryptography.CryptographicException");
        if (json is null || protectedStorage is null && jsRuntime is null && !References(compilation, "Blazored."))
        {
            return;
        }

        var options = OptionsOf(compilation, start.Options);
        var newtonsoft = ImmutableArray.CreateRange(new[] { "Newtonsoft.Json.JsonException", "Newtonsoft.Json.JsonReaderException", "Newtonsoft.Json.JsonSerializationException" }
            .Select(n => KnownTypes.Get(compilation, n)).OfType<INamedTypeSymbol>());
        start.RegisterOperationAction(
            context =>
            {
                var call = (IInvocationOperation)context.Operation;
                var method = call.TargetMethod;
                if (!options.IsAnalyzed(call.Syntax.SyntaxTree))
                {
                    return;
                }

                if (method.Name == "GetAsync" && protectedStorage is not null && TypeRelations.InheritsFrom(method.ContainingType, protectedStorage))
                {
                    // A text, number or flag cannot change shape: only a structured value can fail to parse.
                    var shaped = method.TypeArguments.FirstOrDefault() is { } stored && !IsScalar(stored);
                    var cryptoCaught = crypto is null || Caught(context, call, ImmutableArray.Create(crypto));
                    var jsonCaught = !shaped || Caught(context, call, ImmutableArray.Create(json));
                    var missing = (cryptoCaught, jsonCaught) switch
                    {
                        (false, false) => "catches neither CryptographicException nor JsonException",
                        (false, true) => "does not catch CryptographicException",
                        (true, false) => "does not catch JsonException",
                        _ => null,
                    };
                    if (missing is not null)
                    {
                        Report(context, call, (call.Instance?.Type ?? method.ContainingType).Name + ".GetAsync", missing, cryptoCaught ? Stale : Corrupt, GuardableProtectedRead);
                    }
                }
                else if (method.Name is "GetItemAsync" or "GetItem" && method.IsGenericMethod
                    && method.ContainingNamespace?.ToString() is "Blazored.LocalStorage" or "Blazored.SessionStorage")
                {
                    if (!Caught(context, call, ImmutableArray.Create(json)))
                    {
                        Report(context, call, (call.Instance?.Type ?? method.ContainingType).Name + "." + method.Name, "does not catch JsonException", Stale,
                            method.Name == "GetItemAsync" ? GuardableBlazoredRead : GuardableBlazoredSyncRead);
                    }
                }
                else if (ParsesBrowserStorage(call, jsRuntime) is { } read)
                {
                    var thrown = method.ContainingNamespace?.ToString() == "Newtonsoft.Json" ? newtonsoft : ImmutableArray.Create(json);
                    if (!thrown.IsEmpty && !Caught(context, call, thrown))
                    {
                        Report(context, call, read, "parses it without catching " + (thrown.Length > 1 ? "Newtonsoft.Json's exceptions" : "JsonException"), Stale);
                    }
                }
            },
            OperationKind.Invocation);

        if (protectedResult is not null)
        {
            start.RegisterOperationAction(
                context =>
                {
                    if (options.IsAnalyzed(context.Operation.Syntax.SyntaxTree))
                    {
                        AnalyzeValue(context, protectedResult);
                    }
                },
                OperationKind.PropertyReference);
        }
    }

    /// <summary>A value that has no shape to change: text, a number, a flag, an enum, a date.</summary>
    private static bool IsScalar(ITypeSymbol type)
        => type.SpecialType != SpecialType.None || type.TypeKind == TypeKind.Enum
            || type is INamedTypeSymbol { Name: "Guid" or "DateTimeOffset" or "TimeSpan", ContainingNamespace.Name: "System" }
            || type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && IsScalar(nullable.TypeArguments[0]);

    /// <summary>
    /// The result's Value, read from a local whose Success nothing in the function tests, for a value type: a missing
    /// entry's default (false, 0) cannot be told from a stored one. A reference type's null is, and code tests it.
    /// </summary>
    private void AnalyzeValue(OperationAnalysisContext context, INamedTypeSymbol protectedResult)
    {
        var value = (IPropertyReferenceOperation)context.Operation;
        if (value.Property.Name != "Value" || !SymbolEqualityComparer.Default.Equals(value.Property.ContainingType.OriginalDefinition, protectedResult)
            || value.Property.ContainingType.TypeArguments.FirstOrDefault() is not { IsValueType: true } stored
            || stored.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
            || PathKey.Unwrap(value.Instance) is not ILocalReferenceOperation local)
        {
            return;
        }

        // Success tested on this result, or before it on another read of the same entry of the same storage
        // (`if (!(await s.GetAsync<T>(key)).Success) return …;`).
        var root = OperationTree.Root(value);
        var entry = EntryOf(PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)));
        var tested = root.Descendants().OfType<IPropertyReferenceOperation>().Any(p => p.Property.Name == "Success"
            && (PathKey.Unwrap(p.Instance) is ILocalReferenceOperation other && SymbolEqualityComparer.Default.Equals(other.Local, local.Local)
                || entry is not null && p.Syntax.SpanStart < value.Syntax.SpanStart && EntryOf(PathKey.Unwrap(p.Instance)) == entry));
        if (!tested)
        {
            var type = NameOf(stored);
            context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, value.Syntax.GetLocation(), "ProtectedBrowserStorage.GetAsync", type,
                "reads Value without testing Success", "a missing entry gives " + NameOf(stored) + "'s default, which the page cannot tell from a stored value and runs on as if it were the stored state"));
        }
    }

    /// <summary>The entry an (awaited) storage read names, as text: its storage, purpose and key (<c>await storage.GetAsync&lt;T&gt;(Key)</c>).</summary>
    private static string? EntryOf(IOperation? read)
    {
        while (read is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            read = PathKey.Unwrap(read is IAwaitOperation await ? await.Operation : ((IInvocationOperation)read).Instance);
        }

        return read is IInvocationOperation { TargetMethod.Name: "GetAsync", Instance: { } storage } call
            && call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "key") is { } key
            ? storage.Syntax + "|" + call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "purpose")?.Value.Syntax + "|" + key.Value.Syntax
            : null;
    }

    private void Report(OperationAnalysisContext context, IInvocationOperation call, string read, string missing, string consequence, ImmutableDictionary<string, string?>? properties = null)
    {
        var type = call.TargetMethod.TypeArguments.FirstOrDefault() is { } stored ? NameOf(stored) : "state";
        context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, call.Syntax.GetLocation(), properties, read, type, missing, consequence));
    }

    /// <summary>A type as the message names it: "Cart", "CartItem[]".</summary>
    private static string NameOf(ITypeSymbol type) => type is IArrayTypeSymbol array ? NameOf(array.ElementType) + "[]" : type.Name;

    private static bool Caught(OperationAnalysisContext context, IOperation call, ImmutableArray<INamedTypeSymbol> thrown)
        => CatchCoverage.IsCaught(call, context.ContainingSymbol, thrown, context.Compilation, context.CancellationToken);

    /// <summary>
    /// A parse (JsonSerializer.Deserialize, JsonConvert.DeserializeObject) of text read with IJSRuntime from
    /// localStorage.getItem or sessionStorage.getItem, directly or through a local: "localStorage.getItem", else null.
    /// </summary>
    private static string? ParsesBrowserStorage(IInvocationOperation call, INamedTypeSymbol? jsRuntime)
    {
        if (jsRuntime is null || call.TargetMethod.Name is not ("Deserialize" or "DeserializeObject") || call.Arguments.Length == 0)
        {
            return null;
        }

        var text = PathKey.Unwrap(call.Arguments[0].Value);
        if (text is ILocalReferenceOperation local)
        {
            text = PathKey.Unwrap(OperationTree.StoredValue(local.Local, OperationTree.Root(call)));
        }

        while (text is IAwaitOperation await)
        {
            text = PathKey.Unwrap(await.Operation);
        }

        return text is IInvocationOperation { TargetMethod.Name: "InvokeAsync" } invoke
            && invoke.Arguments.FirstOrDefault(a => a.Parameter?.Name == "identifier")?.Value.ConstantValue is { HasValue: true, Value: "localStorage.getItem" or "sessionStorage.getItem" } identifier
            && (TypeRelations.InheritsFrom(invoke.TargetMethod.ContainingType, jsRuntime) || invoke.TargetMethod.ContainingType.Name == "JSRuntimeExtensions")
                ? (string)identifier.Value!
                : null;
    }

    private static bool References(Compilation compilation, string assemblyPrefix)
        => compilation.ReferencedAssemblyNames.Any(a => a.Name.StartsWith(assemblyPrefix, System.StringComparison.Ordinal));
}
