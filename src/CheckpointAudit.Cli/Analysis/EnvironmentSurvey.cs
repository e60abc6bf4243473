using System.Text.RegularExpressions;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// One walk over a project's sources that records how it stores state: the files it writes and how, its
/// persisted models, its SQLite settings and the mechanisms it has for corrupt or leftover data. The report's
/// "Environment &amp; assumptions" section is built from these facts.
/// </summary>
internal static partial class EnvironmentSurvey
{
    // Exceptions a parser throws on damaged input: catching one around a load is a recovery path.
    private static readonly HashSet<string> CorruptInputExceptions = new(StringComparer.Ordinal)
    {
        "System.Text.Json.JsonException", "Newtonsoft.Json.JsonException", "Newtonsoft.Json.JsonReaderException", "Newtonsoft.Json.JsonSerializationException",
        "System.Xml.XmlException", "System.IO.InvalidDataException", "System.Runtime.Serialization.SerializationException", "System.FormatException",
        "CheckpointAudit.CorruptCheckpointException",
    };

    private static readonly HashSet<string> HashTypes = new(StringComparer.Ordinal)
    {
        "System.Security.Cryptography.SHA256", "System.Security.Cryptography.SHA1", "System.Security.Cryptography.SHA512", "System.Security.Cryptography.MD5",
        "System.IO.Hashing.Crc32", "System.IO.Hashing.Crc64", "System.IO.Hashing.XxHash64", "System.IO.Hashing.XxHash3", "System.IO.Hashing.XxHash128",
    };

    public static EnvironmentFacts Collect(Compilation compilation, string root, CancellationToken cancellationToken)
    {
        var facts = new EnvironmentFacts();
        var apis = FileApiSymbols.Create(compilation);
        var persisted = PersistedModels.For(compilation);
        var deserializers = Deserializers.Create(compilation);
        var models = new Dictionary<INamedTypeSymbol, (SortedSet<string> Serializers, SortedSet<string> Storage)>(SymbolEqualityComparer.Default);
        var sourceTypes = new List<INamedTypeSymbol>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (IsGenerated(tree.FilePath))
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            Spot SpotOf(SyntaxNode node) => new(ProjectAnalyzer.Relative(root, tree.FilePath), node.GetLocation().GetLineSpan().StartLinePosition.Line + 1);
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (node)
                {
                    case BaseTypeDeclarationSyntax typeDeclaration when model.GetDeclaredSymbol(typeDeclaration, cancellationToken) is INamedTypeSymbol declared:
                        sourceTypes.Add(declared);
                        break;
                    case InvocationExpressionSyntax when model.GetOperation(node, cancellationToken) is IInvocationOperation invocation:
                        Invocation(invocation, SpotOf(node));
                        break;
                    case BaseObjectCreationExpressionSyntax when model.GetOperation(node, cancellationToken) is IObjectCreationOperation creation:
                        Creation(creation, SpotOf(node));
                        break;
                    case CatchClauseSyntax { Declaration.Type: { } caught } when model.GetTypeInfo(caught, cancellationToken).Type is { } exception
                        && CorruptInputExceptions.Contains(exception.ToDisplayString()):
                        facts.Recovery.Add(new Evidence($"catches {exception.Name}", SpotOf(node)));
                        break;
                    case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                        Text(literal.Token.ValueText, SpotOf(node));
                        break;
                    case InterpolatedStringTextSyntax text:
                        Text(text.TextToken.ValueText, SpotOf(node));
                        break;
                    case AssignmentExpressionSyntax { Left: var left } when model.GetSymbolInfo(left, cancellationToken).Symbol is IPropertySymbol property && IsSqliteType(property.ContainingType):
                        if (property.Name is "BusyTimeout" or "DefaultTimeout")
                        {
                            facts.BusyTimeouts.Add(new Evidence($"{property.ContainingType.Name}.{property.Name} = {Short(((AssignmentExpressionSyntax)node).Right.ToString())}", SpotOf(node)));
                        }
                        else if (property.Name == "JournalMode")
                        {
                            facts.JournalModes.Add(new Evidence($"JournalMode = {Short(((AssignmentExpressionSyntax)node).Right.ToString())}", SpotOf(node)));
                        }

                        break;
                }
            }
        }

        foreach (var (type, (serializers, storage)) in models.OrderBy(m => m.Key.ToDisplayString(), StringComparer.Ordinal))
        {
            var declaration = type.Locations.FirstOrDefault(l => l.IsInSource);
            if (declaration is null)
            {
                continue;
            }

            var spot = new Spot(ProjectAnalyzer.Relative(root, declaration.SourceTree!.FilePath), declaration.GetLineSpan().StartLinePosition.Line + 1);
            var baseType = type.BaseType is { SpecialType: not SpecialType.System_Object } b && b.Locations.Any(l => l.IsInSource) ? b.Name : null;
            var derived = sourceTypes.Where(t => InheritsFrom(t, type)).Select(t => t.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            var nested = SerializedMembers.ReachableTypes([type])
                .Where(t => !SymbolEqualityComparer.Default.Equals(t, type.OriginalDefinition) && t.TypeKind != TypeKind.Enum && !InheritsFrom(type, t))
                .Select(t => t.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            facts.Models.Add(new ModelFact(
                type.Name,
                spot,
                SchemaVersionMember.Find(type, SchemaVersionMember.DefaultNames)?.Name,
                string.Join(", ", serializers),
                [.. storage],
                baseType,
                derived,
                nested));
        }

        return facts;

        void Invocation(IInvocationOperation invocation, Spot spot)
        {
            var method = invocation.TargetMethod;
            var typeName = method.ContainingType?.ToDisplayString() ?? string.Empty;
            if (apis is not null)
            {
                if (typeName == "CheckpointAudit.CheckpointFile")
                {
                    var path = OperationTree.ArgumentFor(invocation.Arguments, 0);
                    switch (method.Name)
                    {
                        case "WriteAllText" or "WriteAllBytes" or "WriteAllLines" or "WriteAllTextAsync" or "WriteAllBytesAsync" or "WriteAllLinesAsync":
                            facts.Writes.Add(new WriteSite(PathTemplate.Render(path, compilation), WriteStyle.Atomic, "CheckpointFile." + method.Name, spot));
                            break;
                        case "Save" or "SaveAsync":
                            facts.Writes.Add(new WriteSite(PathTemplate.Render(path, compilation), WriteStyle.Atomic, "CheckpointFile." + method.Name, spot));
                            facts.IntegrityChecks.Add(new Evidence("CheckpointFile.Save writes a SHA-256 envelope and keeps a .bak", spot));
                            break;
                        case "Load" or "TryLoad" or "LoadAsync" or "TryLoadAsync":
                            facts.Loads.Add(new Evidence("CheckpointFile." + method.Name, spot));
                            facts.IntegrityChecks.Add(new Evidence($"CheckpointFile.{method.Name} verifies the checksum", spot));
                            facts.Recovery.Add(new Evidence($"CheckpointFile.{method.Name} falls back to the .bak copy", spot));
                            break;
                        case "QuarantineCorrupt":
                            facts.Recovery.Add(new Evidence("moves a corrupt file aside (CheckpointFile.QuarantineCorrupt)", spot));
                            break;
                    }

                    return;
                }

                if (FilePromotion.TryMatchMoveOrReplace(invocation, apis, out _, out var target) && target is not null)
                {
                    facts.Writes.Add(new WriteSite(PathTemplate.Render(target, compilation), WriteStyle.Atomic, $"{method.ContainingType!.Name}.{method.Name}", spot));
                    if (method.Name == "Replace" && OperationTree.ArgumentFor(invocation.Arguments, method.ContainingType.Name == "FileInfo" ? 1 : 2) is { } backup
                        && backup.ConstantValue is not { HasValue: true, Value: null })
                    {
                        facts.Recovery.Add(new Evidence("File.Replace keeps the previous version as a backup", spot));
                    }

                    return;
                }

                if (FileOverwrite.TryMatch(invocation, apis, out var overwrite))
                {
                    AddWrite(overwrite, spot);
                    return;
                }

                if (typeName == "System.IO.File" && method.Name.StartsWith("AppendAll", StringComparison.Ordinal))
                {
                    facts.Writes.Add(new WriteSite(PathTemplate.Render(OperationTree.ArgumentFor(invocation.Arguments, 0), compilation), WriteStyle.Other, "File." + method.Name, spot));
                    return;
                }

                if (typeName == "System.IO.Directory" && method.Name is "GetFiles" or "EnumerateFiles"
                    && OperationTree.ArgumentFor(invocation.Arguments, 1)?.ConstantValue.Value is string pattern
                    && pattern.Contains("tmp", StringComparison.OrdinalIgnoreCase))
                {
                    facts.Cleanup.Add(new Evidence($"lists leftover temp files ({pattern})", spot));
                    return;
                }
            }

            if (apis is not null && deserializers is not null && deserializers.TryMatch(invocation, out var input, out _, out var api) && input is not null
                && StoredInput.Source(input, OperationTree.Root(invocation), apis, deserializers) is { } source)
            {
                facts.Loads.Add(new Evidence($"{api} from a {source}", spot));
            }

            if (persisted?.Match(invocation) is { } evidence)
            {
                foreach (var model in evidence.Models)
                {
                    if (!models.TryGetValue(model, out var entry))
                    {
                        entry = (new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
                        models.Add(model, entry);
                    }

                    entry.Serializers.Add(Display(evidence.Serializer));
                    entry.Storage.Add(evidence.Storage);
                }

                return;
            }

            if (method.Name is "BeginTransaction" or "BeginTransactionAsync" && IsSqliteType(method.ContainingType))
            {
                facts.Transactions.Add(new Evidence($"{method.ContainingType!.Name}.{method.Name}", spot));
                return;
            }

            if (HashTypes.Contains(typeName) || (method.ContainingType is { } hashType && HashTypes.Contains(hashType.BaseType?.ToDisplayString() ?? string.Empty)))
            {
                if (method.Name is "HashData" or "ComputeHash" or "Hash" or "HashDataAsync" or "ComputeHashAsync" && TouchesStoredData(invocation))
                {
                    facts.IntegrityChecks.Add(new Evidence($"{method.ContainingType!.Name}.{method.Name} beside stored data", spot));
                }
            }
        }

        void AddWrite(FileOverwrite overwrite, Spot spot)
        {
            var root = OperationTree.Root(overwrite.Operation);
            var key = PathKey.From(overwrite.Target, apis!);
            var template = PathTemplate.Render(overwrite.Target, compilation);
            if (FilePromotion.IsPromotedIn(root, key, apis!))
            {
                return; // the temp file of an atomic write: its Move/Replace is counted instead
            }

            var scratch = template.Contains("{temp}", StringComparison.Ordinal) || template.Contains("{guid}", StringComparison.Ordinal) || template.Contains("{random}", StringComparison.Ordinal);
            facts.Writes.Add(new WriteSite(template, scratch ? WriteStyle.Other : WriteStyle.InPlace, overwrite.Api, spot));
        }

        void Creation(IObjectCreationOperation creation, Spot spot)
        {
            if (apis is not null && FileOverwrite.TryMatch(creation, apis, out var overwrite))
            {
                AddWrite(overwrite, spot);
                return;
            }

            var type = creation.Type as INamedTypeSymbol;
            if (type is null || !IsSqliteType(type) || !type.Name.EndsWith("Connection", StringComparison.Ordinal))
            {
                return;
            }

            facts.SqliteProviders.Add(type.ContainingNamespace.ToDisplayString());
            var owner = creation.Parent;
            while (owner is IConversionOperation)
            {
                owner = owner.Parent;
            }

            var lifetime = owner switch
            {
                ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } => $"kept in field '{field.Field.Name}' (long-lived)",
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } => $"kept in property '{property.Property.Name}' (long-lived)",
                IFieldInitializerOperation field => $"kept in field '{field.InitializedFields.FirstOrDefault()?.Name}' (long-lived)",
                IPropertyInitializerOperation property => $"kept in property '{property.InitializedProperties.FirstOrDefault()?.Name}' (long-lived)",
                IReturnOperation => "returned by a factory (lifetime decided by callers)",
                IVariableInitializerOperation initializer when InUsing(initializer) => "one per operation (using local)",
                _ => "local",
            };
            facts.Connections.Add(new Evidence($"new {type.Name}: {lifetime}", spot));
        }

        void Text(string value, Spot spot)
        {
            if (JournalModePragma().Match(value) is { Success: true } pragma)
            {
                facts.JournalModes.Add(new Evidence($"PRAGMA journal_mode={pragma.Groups[1].Value.ToUpperInvariant()}", spot));
            }
            else if (JournalModeSetting().Match(value) is { Success: true } setting)
            {
                facts.JournalModes.Add(new Evidence($"connection string Journal Mode={setting.Groups[1].Value}", spot));
            }

            if (BusyTimeoutPragma().Match(value) is { Success: true } busy)
            {
                facts.BusyTimeouts.Add(new Evidence($"PRAGMA busy_timeout={busy.Groups[1].Value}", spot));
            }
            else if (TimeoutSetting().Match(value) is { Success: true } timeout)
            {
                facts.BusyTimeouts.Add(new Evidence($"connection string {timeout.Groups[1].Value}={timeout.Groups[2].Value}", spot));
            }

            if (BeginStatement().IsMatch(value))
            {
                facts.Transactions.Add(new Evidence("SQL BEGIN", spot));
            }

            if (value.EndsWith(".bak", StringComparison.OrdinalIgnoreCase))
            {
                facts.Recovery.Add(new Evidence($"keeps a backup copy (\"{value}\")", spot));
            }
        }

        bool TouchesStoredData(IOperation operation)
            => OperationTree.Root(operation).Descendants().OfType<IInvocationOperation>().Any(i =>
                i.TargetMethod.ContainingType?.ToDisplayString() is "System.IO.File" or "System.IO.FileStream" || persisted?.Match(i) is not null);
    }

    /// <summary>The declaration is a using declaration or a using statement's resource.</summary>
    private static bool InUsing(IOperation operation)
    {
        var current = operation.Parent;
        for (var i = 0; i < 4 && current is not null; i++, current = current.Parent)
        {
            if (current is IUsingDeclarationOperation or IUsingOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InheritsFrom(INamedTypeSymbol type, INamedTypeSymbol ancestor)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, ancestor.OriginalDefinition))
            {
                return true;
            }
        }

        return type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, ancestor.OriginalDefinition));
    }

    private static bool IsSqliteType(INamedTypeSymbol? type)
        => type?.ContainingNamespace?.ToDisplayString() is "Microsoft.Data.Sqlite" or "System.Data.SQLite";

    private static bool IsGenerated(string path)
        => path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase) || path.Split('/', '\\').Contains("obj");

    private static string Display(SerializerKind kind) => kind switch
    {
        SerializerKind.SystemTextJson => "System.Text.Json",
        SerializerKind.Newtonsoft => "Newtonsoft.Json",
        SerializerKind.XmlSerializer => "XmlSerializer",
        _ => "DataContractSerializer",
    };

    private static string Short(string text)
    {
        text = Regex.Replace(text, @"\s+", " ");
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    [GeneratedRegex(@"journal_mode\s*=\s*'?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex JournalModePragma();

    [GeneratedRegex(@"Journal\s*Mode\s*=\s*(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex JournalModeSetting();

    [GeneratedRegex(@"busy_timeout\s*=?\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex BusyTimeoutPragma();

    [GeneratedRegex(@"(Default\s*Timeout|BusyTimeout|Command\s*Timeout)\s*=\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex TimeoutSetting();

    [GeneratedRegex(@"^\s*BEGIN(\s+(IMMEDIATE|EXCLUSIVE|DEFERRED))?(\s+TRANSACTION)?\s*;?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BeginStatement();
}
