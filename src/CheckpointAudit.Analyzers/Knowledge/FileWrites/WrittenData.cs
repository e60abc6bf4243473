using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>What a written file holds, as far as the writing method shows. Decides how much a damaged file costs.</summary>
internal enum DataHeld
{
    /// <summary>No evidence either way: treated as the program's state (the rule's own severity).</summary>
    Unclassified,

    /// <summary>The program's state: a serialized object or settings, no sign of regenerable output.</summary>
    State,

    /// <summary>
    /// Regenerable output: caches, logs, downloads, derived media, exports, buffers handed to another program; and files
    /// of the operating system the program edits (the hosts file, a Startup shortcut), which are not its own state.
    /// </summary>
    Output,

    /// <summary>Written once: defaults written only when the file is absent, or migration and upgrade code.</summary>
    OneShot,
}

/// <summary>A <see cref="DataHeld"/> with the code evidence that decided it, in words for the finding.</summary>
internal readonly struct WrittenDataClass
{
    private readonly string? _evidence;

    public WrittenDataClass(DataHeld held, string evidence)
    {
        Held = held;
        _evidence = evidence;
    }

    public DataHeld Held { get; }

    /// <summary>Why, e.g. "the path names a cache ('thumbCachePath')"; empty when unclassified.</summary>
    public string Evidence => _evidence ?? string.Empty;
}

/// <summary>
/// Classifies the file a write touches from evidence in the writing method: whether the write runs only when the file
/// is absent or in migration code (one-shot); whether the path or the writing member names a cache, log, download,
/// export or temp location, the extension is a log or media format, or the bytes come from the network, another
/// stream or an image encoder (output); whether what is written is a serialized object, or the same source file reads
/// the file back (state). One-shot wins over
/// output, output over state: a cache serialized as JSON is still a cache.
/// </summary>
internal static class WrittenData
{
    private const int MaxDepth = 4;

    /// <summary>
    /// Words that name regenerable output when they are a whole word of a path, identifier or member name. Not "temp":
    /// a temp file holds what it will replace (a settings file's next version), and scratch files are PathOrigin's.
    /// </summary>
    private static readonly HashSet<string> OutputWords = NameWords.Set(
        "cache", "caches", "cached", "log", "logs", "logfile", "logger", "thumbnail", "thumbnails", "thumb", "thumbs",
        "download", "downloads", "downloaded", "screenshot", "screenshots", "export", "exports", "exported",
        "output", "dump", "crashdump", "pid", "pidfile");

    /// <summary>
    /// Words that name a program's own state. The nearest name decides: a path or a method that names settings is not
    /// demoted by a type around it that names a cache (GitExtensions keeps its settings file in a FileSettingsCache).
    /// </summary>
    private static readonly HashSet<string> StateWords = NameWords.Set(
        "settings", "setting", "config", "configuration", "preferences", "prefs", "state", "session", "profile", "profiles",
        "database", "db", "checkpoint", "checkpoints");

    /// <summary>Extensions of formats that hold logs or media, never a program's state.</summary>
    private static readonly HashSet<string> OutputExtensions = NameWords.Set(
        "log", "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tif", "tiff", "svg",
        "mp3", "mp4", "wav", "avi", "mkv", "webm", "html", "htm", "csv", "pdf");

    /// <summary>Whether a text (a path template, a name) has a word or an extension that names regenerable output.</summary>
    public static bool NamesOutput(string text)
        => NameWords.First(text, OutputWords) is not null || NameWords.First(text, OutputExtensions) is not null;

    /// <summary>
    /// What a file that is read holds, by its path alone: regenerable output (a cache, a download, a log) when the path
    /// or a helper that builds it names one; else unclassified.
    /// </summary>
    /// <param name="access">The read (or the serializer call) whose member's name may name a cache (LoadCacheAsync).</param>
    public static WrittenDataClass ClassifyRead(IOperation access, IOperation path, IOperation root)
        => (OutputPath(path, root) ?? SystemFile.Evidence(path, root) ?? (NamesState(path, root) ? null : OutputMember(access))) is { } output ? new WrittenDataClass(DataHeld.Output, output) : new WrittenDataClass(DataHeld.Unclassified, string.Empty);

    /// <param name="write">The writing call or creation.</param>
    /// <param name="target">The path (or FileInfo) written.</param>
    /// <param name="content">The text or bytes written, when the call takes them (WriteAll*); null for streams.</param>
    public static WrittenDataClass Classify(IOperation write, IOperation target, IOperation? content, IOperation root, FileApiSymbols apis)
    {
        if (OnlyWhenAbsent(write, target, root, apis))
        {
            return new WrittenDataClass(DataHeld.OneShot, "written only when the file does not exist yet (defaults)");
        }

        if (MigrationMember(write) is { } migration)
        {
            return new WrittenDataClass(DataHeld.OneShot, migration);
        }

        if (OutputPath(target, root) is { } path)
        {
            return new WrittenDataClass(DataHeld.Output, path);
        }

        if (SystemFile.Evidence(target, root) is { } system)
        {
            return new WrittenDataClass(DataHeld.Output, system);
        }

        // File.Copy(Environment.ProcessPath, installed, true): an installer putting the program itself in place.
        if (CopiedFrom(write) is { } source && OwnExecutable.Is(source, root))
        {
            return new WrittenDataClass(DataHeld.Output, $"the file is a copy of the program's own executable ('{source.Syntax}'): installing again restores it");
        }

        if (!NamesState(target, root) && OutputMember(write) is { } member)
        {
            return new WrittenDataClass(DataHeld.Output, member);
        }

        // A file handed to another program that this program also reads back is still its own (a config opened in an editor).
        if (ProcessInput.Evidence(target, root) is { } forProcess && ReadBack.Of(target, root) is null)
        {
            return new WrittenDataClass(DataHeld.Output, forProcess);
        }

        // An upload the program reads back is its copy of record (a synced save, a user's document): the client may
        // not keep its own, so the read-back below decides.
        var filled = content ?? WrittenStream(write);
        if (filled is not null && OutputContent(filled, content is null, root, apis) is { } bytes
            && !(bytes.StartsWith(Uploaded, System.StringComparison.Ordinal) && ReadBack.Of(target, root) is not null))
        {
            return new WrittenDataClass(DataHeld.Output, bytes);
        }

        if (filled is not null && SerializedContent(filled, content is null, root) is { } serialized)
        {
            return new WrittenDataClass(DataHeld.State, serialized);
        }

        if (ReadBack.Of(target, root) is { } readBack)
        {
            return new WrittenDataClass(DataHeld.State, readBack);
        }

        if (StateName(target, root) is { } stateName)
        {
            return new WrittenDataClass(DataHeld.State, $"the path names the program's state ('{stateName}')");
        }

        if (HandedInPath(target, root) is { } parameter)
        {
            return PassedByCallers(target, root)
                ?? new WrittenDataClass(DataHeld.Unclassified, $"the path is handed in ('{parameter}'): the callers decide what the file holds");
        }

        if (StateMember(write) is { } stateMember)
        {
            return new WrittenDataClass(DataHeld.State, $"written by '{stateMember}', which names the program's state");
        }

        return new WrittenDataClass(DataHeld.Unclassified, string.Empty);
    }

    /// <summary>
    /// The parameter the path comes from, when every part of it that is not a constant comes from the method's
    /// parameters (directly, through locals, <c>Path.Combine</c>/<c>ChangeExtension</c>, string building, a member or
    /// element of a parameter): a general-purpose helper that writes wherever its caller says.
    /// </summary>
    private static string? HandedInPath(IOperation target, IOperation root)
    {
        var value = PathKey.Unwrap(target);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root) ?? IteratedCollection(local.Local, root));
        }

        // Path.Combine(dataDirectory, "state.json"): the caller picks the folder, the method names its own file.
        var last = value switch
        {
            IInvocationOperation { Arguments.Length: > 0 } call when SymbolNames.IsType(call.TargetMethod.ContainingType, "System.IO.Path") => call.Arguments[call.Arguments.Length - 1].Value,
            IBinaryOperation binary => binary.RightOperand,
            _ => null,
        };
        if (PathKey.Unwrap(last)?.ConstantValue is { HasValue: true, Value: string named } && named.TrimStart('/', '\\').Length > 0 && named.TrimStart('/', '\\')[0] != '.')
        {
            return null;
        }

        string? parameter = null;
        return HandedIn(value, root, ref parameter, 0) ? parameter : null;
    }

    /// <summary>The source of <c>File.Copy(source, target, …)</c> or <c>FileInfo.CopyTo</c>'s instance; null for other writes.</summary>
    private static IOperation? CopiedFrom(IOperation write)
        => write switch
        {
            IInvocationOperation { TargetMethod: { Name: "Copy", IsStatic: true } method } copy when SymbolNames.IsType(method.ContainingType, "System.IO.File") => OperationTree.ArgumentFor(copy.Arguments, 0),
            IInvocationOperation { TargetMethod.Name: "CopyTo", Instance: { } file } copyTo when SymbolNames.IsType(copyTo.TargetMethod.ContainingType, "System.IO.FileInfo") => file,
            _ => null,
        };

    /// <summary>
    /// A private method's path parameter, judged by what its callers (all in this file) pass: the program's state when
    /// some caller passes a path that names it or that its body reads back and none passes output, output when every
    /// caller passes output. <c>SaveConfig(ConfigFilePath, Config)</c> saves the configuration, whatever
    /// <c>SaveConfig</c> itself names.
    /// </summary>
    private static WrittenDataClass? PassedByCallers(IOperation target, IOperation root)
    {
        var value = PathKey.Unwrap(target);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        if (value is not IParameterReferenceOperation { Parameter: var parameter } || root.SemanticModel is not { } model)
        {
            return null;
        }

        string? state = null, output = null;
        var unknown = false;
        foreach (var (passed, callerRoot) in PrivateCallers.ArgumentsFor(parameter, model))
        {
            if (OutputPath(passed, callerRoot) is { } isOutput)
            {
                output ??= isOutput;
                continue;
            }

            var isState = StateName(passed, callerRoot) is { } name ? $"the path names the program's state ('{name}')" : ReadBack.Of(passed, callerRoot);
            state ??= isState;
            unknown |= isState is null;
        }

        return (state, output) switch
        {
            ({ } held, null) => new WrittenDataClass(DataHeld.State, $"a caller passes '{parameter.Name}': {held}"),
            (null, { } regenerable) when !unknown => new WrittenDataClass(DataHeld.Output, $"the callers pass '{parameter.Name}': {regenerable}"),
            _ => null,
        };
    }

    private static bool HandedIn(IOperation? value, IOperation root, ref string? parameter, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        if (value.ConstantValue.HasValue || value is IInterpolatedStringTextOperation)
        {
            return true;
        }

        switch (value)
        {
            // Only a path or file handed in: a Save(Document doc) writing doc.Path saves the document to its own file.
            case IParameterReferenceOperation reference when IsPathType(reference.Parameter.Type):
                parameter ??= reference.Parameter.Name;
                return true;
            case ILocalReferenceOperation local:
                return HandedIn(PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root) ?? IteratedCollection(local.Local, root)), root, ref parameter, depth + 1);
            case IPropertyReferenceOperation { Instance: { } instance } when IsPathType(instance.Type):
                return HandedIn(PathKey.Unwrap(instance), root, ref parameter, depth + 1);
            case IArrayElementReferenceOperation element:
                return HandedIn(PathKey.Unwrap(element.ArrayReference), root, ref parameter, depth + 1);
            case IObjectCreationOperation { Type: { } created } info when IsPathType(created) && info.Arguments.Length > 0:
                // new DirectoryInfo(source): the folder a handed-in path names (the same path: no step deeper).
                foreach (var argument in info.Arguments)
                {
                    if (!HandedIn(PathKey.Unwrap(argument.Value), root, ref parameter, depth))
                    {
                        return false;
                    }
                }

                return true;
            case IInvocationOperation call when call.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String
                || SymbolNames.IsType(call.TargetMethod.ContainingType, "System.IO.Path"):
                foreach (var child in call.ChildOperations)
                {
                    if (!HandedIn(PathKey.Unwrap(child is IArgumentOperation argument ? argument.Value : child), root, ref parameter, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case IInvocationOperation call when SymbolNames.IsType(call.TargetMethod.ContainingType, "System.Linq.Enumerable")
                && call.TargetMethod.Name is not ("Select" or "SelectMany" or "Aggregate" or "Zip" or "Join" or "GroupBy" or "GroupJoin"):
                // args.Skip(1), names.Where(…).ToList(), parts.First(): elements of a handed-in sequence; these lambdas pick, not build.
                foreach (var argument in call.Arguments)
                {
                    if (PathKey.Unwrap(argument.Value) is not IDelegateCreationOperation && !HandedIn(PathKey.Unwrap(argument.Value), root, ref parameter, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case IBinaryOperation or IInterpolatedStringOperation or IInterpolationOperation:
                foreach (var child in value.ChildOperations)
                {
                    if (!HandedIn(PathKey.Unwrap(child), root, ref parameter, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The write runs only when the file does not exist: inside <c>if (!File.Exists(path))</c>, or after
    /// <c>if (File.Exists(path)) return/continue/break/throw;</c> in the same block.
    /// </summary>
    public static bool OnlyWhenAbsent(IOperation write, IOperation target, IOperation root, FileApiSymbols apis)
    {
        var key = PathKey.From(target, apis);
        if (key.IsEmpty)
        {
            return false;
        }

        for (IOperation? child = write, parent = write.Parent; parent is not null && parent != root; child = parent, parent = parent.Parent)
        {
            // if (!File.Exists(p)) write(p);  or  if (File.Exists(p)) { … } else write(p);
            if (parent is IConditionalOperation conditional
                && (child == conditional.WhenTrue && AbsentWhen(conditional.Condition, true, key, apis)
                    || child == conditional.WhenFalse && AbsentWhen(conditional.Condition, false, key, apis)))
            {
                return true;
            }

            if (parent is IBlockOperation block)
            {
                foreach (var statement in block.Operations)
                {
                    if (statement == child)
                    {
                        break;
                    }

                    if (statement is IConditionalOperation { WhenFalse: null } guard && AbsentWhen(guard.Condition, false, key, apis) && Leaves(guard.WhenTrue))
                    {
                        return true;
                    }
                }
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>
    /// The path was made free just before the write: an earlier statement of an enclosing block is a loop that runs
    /// while the file exists and changes the path (<c>while (File.Exists(lnk)) { name += "1"; lnk = … }</c>), so the
    /// write creates a file no one has yet and overwrites nothing.
    /// </summary>
    public static bool FreeWhenWritten(IOperation write, IOperation target, IOperation root, FileApiSymbols apis)
    {
        var key = PathKey.From(target, apis);
        if (key.IsEmpty || PathKey.Unwrap(target) is not ILocalReferenceOperation { Local: var local })
        {
            return false;
        }

        bool Assigns(IOperation operation)
            => operation.DescendantsAndSelf().Any(o => o is IAssignmentOperation { Target: ILocalReferenceOperation assigned } && SymbolEqualityComparer.Default.Equals(assigned.Local, local));

        // The last statement before the write that touches the path decides: the freeing loop, with no break out of
        // it while the file exists, and no assignment of the path after it. A write repeated by a loop, or in another
        // function, overwrites what its first run created: nothing past those is looked at.
        foreach (var statement in OperationTree.EarlierStatements(write))
        {
            if (statement is IWhileLoopOperation { ConditionIsUntil: false, Condition: { } condition, Body: { } body }
                && ExistsTest(condition, key, apis) == true)
            {
                return Assigns(body) && !body.Descendants().Any(o => o is IBranchOperation { BranchKind: BranchKind.Break } or IReturnOperation);
            }

            if (Assigns(statement))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>True for File.Exists(key) (or fileInfo.Exists), false for its negation, null otherwise.</summary>
    /// <summary>
    /// Whether the file is known to be absent when <paramref name="condition"/> has the value <paramref name="when"/>:
    /// <c>!File.Exists(p)</c> true, <c>File.Exists(p)</c> false, and through <c>&amp;&amp;</c> (true: every operand true) and
    /// <c>||</c> (false: every operand false), as in <c>if (!File.Exists(local) &amp;&amp; !File.Exists(p))</c>.
    /// </summary>
    private static bool AbsentWhen(IOperation condition, bool when, PathKey key, FileApiSymbols apis)
    {
        condition = PathKey.Unwrap(condition)!;
        return condition switch
        {
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not => AbsentWhen(not.Operand, !when, key, apis),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when when
                => AbsentWhen(both.LeftOperand, true, key, apis) || AbsentWhen(both.RightOperand, true, key, apis),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when !when
                => AbsentWhen(either.LeftOperand, false, key, apis) || AbsentWhen(either.RightOperand, false, key, apis),
            _ => !when && ExistsTest(condition, key, apis) == true,
        };
    }

    private static bool? ExistsTest(IOperation condition, PathKey key, FileApiSymbols apis)
    {
        condition = PathKey.Unwrap(condition)!;
        if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            return ExistsTest(not.Operand, key, apis) is { } inner ? !inner : null;
        }

        if (condition is IInvocationOperation { TargetMethod.Name: "Exists" } exists
            && apis.Is(exists.TargetMethod.ContainingType, apis.File)
            && PathKey.From(OperationTree.ArgumentFor(exists.Arguments, 0), apis).Equals(key))
        {
            return true;
        }

        if (condition is IPropertyReferenceOperation { Property.Name: "Exists", Instance: { } info }
            && apis.Is(info.Type, apis.FileInfo) && PathKey.From(info, apis).Equals(key))
        {
            return true;
        }

        // The project's own test (_fileSystem.FileExists(path)), when every body that can run returns File.Exists of that path.
        if (condition is IInvocationOperation { SemanticModel: { } model } call && MethodSummaries.IsProjectMethod(call.TargetMethod)
            && MethodSummaries.Of(model.Compilation)?.ExistenceTested(call.TargetMethod, default) is { } tested
            && call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == tested.Ordinal) is { } argument
            && PathKey.From(argument.Value, apis).Equals(key))
        {
            return true;
        }

        return null;
    }

    private static bool Leaves(IOperation branch)
    {
        var last = branch is IBlockOperation { Operations: { Length: > 0 } operations } ? operations[operations.Length - 1] : branch;
        return last is IReturnOperation or IThrowOperation or IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.Break }
            || (last is IExpressionStatementOperation { Operation: IThrowOperation });
    }

    private static string? MigrationMember(IOperation write)
        => MigrationCode.Around(OperationTree.InnermostFunction(write) ?? write.SemanticModel?.GetEnclosingSymbol(write.Syntax.SpanStart)) is { } migration
            ? $"migration code ('{migration.Name}')"
            : null;

    private static string? OutputMember(IOperation write)
        => NamingMember(write) is { OutputWord: { } word } member ? $"written by '{member.Symbol.Name}', which names {Describe(word)}" : null;

    /// <summary>
    /// The nearest method or type around the write whose name says output (its word) or state (no word): the nearer
    /// name decides, so WriteSettings inside a SettingsCache says state.
    /// </summary>
    private static (ISymbol Symbol, string? OutputWord)? NamingMember(IOperation write)
    {
        for (var symbol = write.SemanticModel?.GetEnclosingSymbol(write.Syntax.SpanStart) as ISymbol;
             symbol is not null and not INamespaceSymbol;
             symbol = symbol.ContainingSymbol)
        {
            if (symbol is not (IMethodSymbol or INamedTypeSymbol))
            {
                continue;
            }

            if (NameWords.First(symbol.Name, OutputWords) is { } word)
            {
                return (symbol, word);
            }

            if (NameWords.First(symbol.Name, StateWords) is not null)
            {
                return (symbol, null);
            }
        }

        return null;
    }

    /// <summary>The method around the write is named for saving (Save, WriteAsync, Persist, Flush…).</summary>
    private static bool SavingMethod(IOperation write)
        => write.SemanticModel?.GetEnclosingSymbol(write.Syntax.SpanStart) is IMethodSymbol method && NameWords.First(method.Name, NameWords.SaveVerbs) is not null;

    /// <summary>The path's own identifiers or constants (through its locals) name the program's state: settings, config, a session…</summary>
    private static bool NamesState(IOperation target, IOperation root) => StateName(target, root) is not null;

    /// <summary>
    /// The identifier, constant or path-building method of the path (through its locals) that names the program's
    /// state ('SystemConfigurationFilePath', "settings.json", GetConfigPath()); null when none does.
    /// </summary>
    private static string? StateName(IOperation target, IOperation root)
    {
        var value = PathKey.Unwrap(target);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root)) ?? value;
        }

        return value is null ? null : StateNameIn(value);
    }

    // The nearest names only: a member's own name, not the object it is read from ('TorrentFolder' of a provider's
    // Settings is a folder the user configured, not the settings file); Path.* and string building are looked through.
    private static string? StateNameIn(IOperation part)
    {
        var (text, inside) = part switch
        {
            _ when part.ConstantValue is { HasValue: true, Value: string constant } => (constant, false),
            ILocalReferenceOperation reference => (reference.Local.Name, false),
            IParameterReferenceOperation parameter => (parameter.Parameter.Name, false),
            IFieldReferenceOperation field => (field.Field.Name, false),
            IPropertyReferenceOperation property => (property.Property.Name, false),
            IInvocationOperation call when call.TargetMethod.ContainingType?.SpecialType != SpecialType.System_String
                && !SymbolNames.IsType(call.TargetMethod.ContainingType, "System.IO.Path") => (call.TargetMethod.Name, false),
            _ => ((string?)null, true),
        };
        if (text is not null && NameWords.First(text, StateWords) is not null)
        {
            return text;
        }

        if (!inside)
        {
            return null;
        }

        foreach (var child in part.ChildOperations)
        {
            if (StateNameIn(PathKey.Unwrap(child) ?? child) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// The writing method, or a type around it, that names the program's state (SaveConfig, SettingsStore), unless a
    /// nearer one names output; null when none does.
    /// </summary>
    private static string? StateMember(IOperation write)
        => NamingMember(write) is { OutputWord: null } member
            && (member.Symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } || member.Symbol is INamedTypeSymbol && SavingMethod(write))
            ? member.Symbol.Name
            : null; // a type's name counts for its saving methods only (SettingsStore.Save, not PluginSettingsViewModel.UnpackGifski)

    /// <summary>A word or an extension of the path (its identifiers, constants and the values of its locals) that names output.</summary>
    private static string? OutputPath(IOperation target, IOperation root)
    {
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        return OutputPath(PathKey.Unwrap(target), root, visited, 0);
    }

    /// <summary>How far a path is followed through locals and the project's path helpers (GetAlbumInfoPath → GetAlbumDataPath → CachePath).</summary>
    private const int MaxPathDepth = 8;

    /// <summary>Returns a string, directly or as the result of a task (async path helpers).</summary>
    private static bool ReturnsString(IMethodSymbol method)
        => method.ReturnType.SpecialType == SpecialType.System_String
            || method.ReturnType is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task
                && task.TypeArguments[0].SpecialType == SpecialType.System_String;

    private static string? OutputPath(IOperation? value, IOperation root, HashSet<ISymbol> visited, int depth)
    {
        if (value is null || depth > MaxPathDepth)
        {
            return null;
        }

        if (value.ConstantValue is { HasValue: true, Value: string text })
        {
            return OutputText(text) ?? BuildFolder(value, text);
        }

        // An awaited path helper (await EnsureItemInfo(id).ConfigureAwait(false)) is followed as the helper.
        if (value is IAwaitOperation awaited)
        {
            value = PathKey.Unwrap(awaited.Operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } task } ? task : awaited.Operation);
            if (value is null)
            {
                return null;
            }
        }

        // The project's own path helper (GetAlbumInfoPath(paths, id)): what it returns, as far as its body shows.
        if (value is IInvocationOperation { TargetMethod.MethodKind: MethodKind.Ordinary } helper && depth < MaxPathDepth
            && ReturnsString(helper.TargetMethod) && helper.SemanticModel is { } model
            && !helper.TargetMethod.DeclaringSyntaxReferences.IsEmpty && visited.Add(helper.TargetMethod.OriginalDefinition))
        {
            foreach (var (_, body) in SourceBodies.Of(helper.TargetMethod, model.Compilation, default))
            {
                foreach (var returned in body.Descendants().OfType<IReturnOperation>())
                {
                    if (OutputPath(PathKey.Unwrap(returned.ReturnedValue), body, visited, depth + 1) is { } inHelper)
                    {
                        return inHelper;
                    }
                }
            }
        }

        string? named = value switch
        {
            ILocalReferenceOperation local => local.Local.Name,
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation property => property.Property.Name,
            IInvocationOperation invocation when invocation.TargetMethod.ContainingType?.SpecialType != SpecialType.System_String
                && !SymbolNames.IsType(invocation.TargetMethod.ContainingType, "System.IO.Path") => invocation.TargetMethod.Name,
            _ => null,
        };
        if (named is not null && NameWords.First(named, OutputWords) is { } word)
        {
            return $"the path names {Describe(word)} ('{named}')";
        }

        // A path member of a type named for output (ExportProject.ChunkPath, ExportPreset.FullPath), unless the member's
        // own name says state.
        if (value is IPropertyReferenceOperation or IFieldReferenceOperation && named is not null && NameWords.First(named, StateWords) is null
            && (value is IPropertyReferenceOperation p ? p.Property.ContainingType : ((IFieldReferenceOperation)value).Field.ContainingType) is { } owner
            && NameWords.First(owner.Name, OutputWords) is { } ownerWord)
        {
            return $"the path is a member of '{owner.Name}', which names {Describe(ownerWord)}";
        }

        if (value is ILocalReferenceOperation reference && visited.Add(reference.Local))
        {
            var declared = OperationTree.DeclaredValue(reference.Local, root);
            return declared is not null && !OperationTree.IsEmptyValue(declared)
                ? OutputPath(PathKey.Unwrap(declared), root, visited, depth + 1)
                : AssignedOutputPath(reference.Local, root, visited, depth + 1);
        }

        // A property whose getter is one expression, or a read-only field's initializer (ImageLimitFilePath =>
        // Path.Combine(_appPaths.CachePath, "sd-image-limit.txt")): what it holds.
        // Only a member that holds one path: a list of names (string[] Names = { "upload", …, "export" }) is not a path.
        if (value is IPropertyReferenceOperation or IFieldReferenceOperation { Field: { IsReadOnly: true, IsConst: false } }
            && value.Type?.SpecialType == SpecialType.System_String && value.SemanticModel is { } memberModel && visited.Add(((IMemberReferenceOperation)value).Member)
            && MemberValue.Of(((IMemberReferenceOperation)value).Member, memberModel.Compilation) is { } held)
        {
            return OutputPath(PathKey.Unwrap(held), OperationTree.Root(held), visited, depth + 1);
        }

        if (value is IFieldReferenceOperation { Field: { IsConst: true } } or IPropertyReferenceOperation)
        {
            return null;
        }

        foreach (var child in value.ChildOperations)
        {
            if (OutputPath(PathKey.Unwrap(child), root, visited, depth) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// A local declared empty and assigned in branches (<c>string path; if (a) path = GetInfoPath(a); else path =
    /// GetInfoPath(b);</c>): output only when every value assigned to it is.
    /// </summary>
    private static string? AssignedOutputPath(ILocalSymbol local, IOperation root, HashSet<ISymbol> visited, int depth)
    {
        // Written another way too (??=, +=, out, ref, deconstruction): those values are not followed, so nothing is claimed.
        if (IsWrittenOtherwise(local, root))
        {
            return null;
        }

        string? first = null;
        foreach (var assignment in OperationTree.AssignmentsTo(local, root))
        {
            if (OperationTree.IsEmptyValue(assignment.Value))
            {
                continue;
            }

            // Each value is followed on its own: the same helper may build every branch's path.
            if (OutputPath(PathKey.Unwrap(assignment.Value), root, new HashSet<ISymbol>(visited, SymbolEqualityComparer.Default), depth) is not { } output)
            {
                return null;
            }

            first ??= output;
        }

        return first;
    }

    private static bool IsWrittenOtherwise(ILocalSymbol local, IOperation root)
        => root.Descendants().Any(o => o is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && (reference.Parent is ICompoundAssignmentOperation or ICoalesceAssignmentOperation or IDeconstructionAssignmentOperation or ITupleOperation
                || reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref })
            && !(reference.Parent is ICompoundAssignmentOperation compound && compound.Value == reference)
            && !(reference.Parent is ICoalesceAssignmentOperation coalesce && coalesce.Value == reference));

    private static string? OutputText(string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot >= 0 && dot < text.Length - 1 && text.IndexOfAny(['/', '\\'], dot) < 0 && OutputExtensions.Contains(text.Substring(dot + 1)))
        {
            return $"the file is a .{text.Substring(dot + 1).ToLowerInvariant()} file";
        }

        return NameWords.First(text, OutputWords) is { } word ? $"the path names {Describe(word)} (\"{text}\")" : null;
    }

    /// <summary>
    /// A project's obj folder, which every build regenerates: a literal "obj" that is a whole segment of the path, given
    /// to Path.Combine/Join as one part or written with a separator ("obj/staging"). A word is not enough: identifiers
    /// named obj are everywhere, and a constant "obj" elsewhere in the expression (a condition) names no folder.
    /// </summary>
    private static string? BuildFolder(IOperation constant, string text)
    {
        var segments = text.Split('/', '\\');
        var part = constant.Parent;
        while (part is IConversionOperation or IArrayInitializerOperation or IArrayCreationOperation)
        {
            part = part.Parent; // Path.Combine(a, b, c, d, e) passes its parts in a params array
        }

        var isSegment = segments.Length > 1
            ? segments.Contains("obj")
            : text == "obj" && part is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Combine" or "Join" } method } }
                && SymbolNames.IsType(method.ContainingType, "System.IO.Path");
        return isSegment ? $"the path is in a project's obj folder, which every build regenerates (\"{text}\")" : null;
    }

    /// <summary>The stream or writer local a write opens (<c>using var s = new FileStream(...)</c>), as a reference point for its uses.</summary>
    private static IOperation? WrittenStream(IOperation write)
    {
        var value = Outermost(write);
        if (value.Parent is IVariableInitializerOperation)
        {
            return value;
        }

        // using var writer = new StreamWriter(File.Open(path, FileMode.Create)): the writer local stands for the stream.
        return value.Parent is IArgumentOperation { Parent: IObjectCreationOperation { Type: { } wrapper } creation } && IsStreamOrWriter(wrapper)
            && Outermost(creation).Parent is IVariableInitializerOperation
            ? Outermost(creation)
            : null;
    }

    private static IOperation Outermost(IOperation value)
    {
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        return value;
    }

    /// <summary>A stream, a text writer or a binary writer: what wraps a file stream and writes into it.</summary>
    private static bool IsStreamOrWriter(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "Stream" or "TextWriter" or "BinaryWriter" && SymbolNames.IsNamespace(current.ContainingNamespace, "System.IO"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bytes come from the network, another stream, or an image or media encoder.</summary>
    private static string? OutputContent(IOperation filled, bool isStream, IOperation root, FileApiSymbols apis)
    {
        foreach (var use in Uses(filled, isStream, root))
        {
            if (use is IInvocationOperation call)
            {
                var type = call.TargetMethod.ContainingType;
                if (IsNetwork(type))
                {
                    return "the bytes are downloaded by " + type.Name + "." + call.TargetMethod.Name;
                }

                // stream.WriteAsync(res.Buffer) where res = await udpClient.ReceiveAsync(): bytes received from the network.
                if (isStream && call.TargetMethod.Name is "Write" or "WriteAsync" && call.Arguments.Length > 0
                    && Received(call.Arguments[0].Value, root, 0) is { } receiver)
                {
                    return "the bytes are received by " + receiver;
                }

                // Only a source known to come from elsewhere counts: a stream handed in or kept in a field may hold
                // bytes the program composed itself (a MemoryStream of its own document).
                if (isStream && call.TargetMethod.Name is "CopyTo" or "CopyToAsync" && call.Instance is not null && !IsSameValue(call.Instance, filled, root)
                    && SourceOrigin(call.Instance, root, apis) is { } origin)
                {
                    return origin + " ('" + call.Instance.Syntax + "')";
                }

                // File.WriteAllBytes(path, buffer.ToArray()) of a MemoryStream another stream was copied into: that stream's bytes.
                if (!isStream && call.TargetMethod.Name is "ToArray" or "GetBuffer" && PathKey.Unwrap(call.Instance) is ILocalReferenceOperation { Local.Type.Name: "MemoryStream" } buffer
                    && CopiedInto(buffer.Local, root) is { } copied && SourceOrigin(copied, root, apis) is { } copiedOrigin)
                {
                    return copiedOrigin + " ('" + copied.Syntax + "')";
                }

                // JsonSerializer.Serialize(stream, response) where response came from HttpClient.GetFromJsonAsync: a saved download.
                if (call.TargetMethod.Name.StartsWith("Serialize", System.StringComparison.Ordinal) && DownloadedValue(call, filled, root) is { } download)
                {
                    return "the serialized data is downloaded by " + download;
                }

                if (isStream && call.TargetMethod.Name is "Save" or "Encode" or "SaveTo" && IsMediaType(call.Instance?.Type ?? type))
                {
                    return "the bytes are an image or media encoded by " + (call.Instance?.Type ?? type)!.Name + "." + call.TargetMethod.Name;
                }

                // An encoder handed the stream (GifEncoder.EncodeAnimationAsync(config, stream)): derived media.
                if (isStream && call.TargetMethod.Name.StartsWith("Encode", System.StringComparison.Ordinal) && call.Arguments.Any(a => IsSameValue(a.Value, filled, root)))
                {
                    return "the bytes are encoded by " + type.Name + "." + call.TargetMethod.Name;
                }

                // A copy helper handed the stream and a source from elsewhere (StreamUtils.Copy(zipEntryStream, file, buffer)).
                if (isStream && call.TargetMethod.Name.StartsWith("Copy", System.StringComparison.Ordinal) && call.Arguments.Any(a => IsSameValue(a.Value, filled, root))
                    && call.Arguments.FirstOrDefault(a => !IsSameValue(a.Value, filled, root) && SourceOrigin(a.Value, root, apis) is not null) is { } source)
                {
                    return SourceOrigin(source.Value, root, apis) + " ('" + source.Value.Syntax + "')";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The network call a written buffer comes from, through locals, awaits, member reads (<c>res.Buffer</c>) and
    /// task or span adapters (<c>AsTask()</c>, <c>WaitAsync(…)</c>, <c>ConfigureAwait</c>, <c>AsMemory</c>): "UdpClient.ReceiveAsync".
    /// </summary>
    private const int MaxReceivedDepth = 12;

    private static string? Received(IOperation? value, IOperation root, int depth)
    {
        value = PathKey.Unwrap(value);
        if (value is null || depth > MaxReceivedDepth)
        {
            return null;
        }

        return value switch
        {
            ILocalReferenceOperation local => Received(OperationTree.DeclaredValue(local.Local, root), root, depth + 1),
            IAwaitOperation awaited => Received(awaited.Operation, root, depth + 1),
            IPropertyReferenceOperation { Instance: { } instance } => Received(instance, root, depth + 1),
            IFieldReferenceOperation { Instance: { } instance } => Received(instance, root, depth + 1),
            IInvocationOperation call when IsNetwork(call.TargetMethod.ContainingType) => call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name,
            IInvocationOperation { TargetMethod.Name: "AsTask" or "WaitAsync" or "ConfigureAwait" or "AsMemory" or "AsSpan" or "Slice" } adapter
                => Received(adapter.Instance ?? (adapter.Arguments.Length > 0 ? adapter.Arguments[0].Value : null), root, depth + 1),
            _ => null,
        };
    }

    /// <summary>The stream copied into a buffer local (<c>source.CopyTo(buffer)</c>), when one is.</summary>
    private static IOperation? CopiedInto(ILocalSymbol buffer, IOperation root)
        => root.Descendants().OfType<IInvocationOperation>()
            .FirstOrDefault(c => c.TargetMethod.Name is "CopyTo" or "CopyToAsync" && c.Instance is not null
                && c.Arguments.Length > 0 && PathKey.Unwrap(c.Arguments[0].Value) is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, buffer))
            ?.Instance;

    /// <summary>The content is a serializer's output, or the stream is handed to a serializer.</summary>
    private static string? SerializedContent(IOperation filled, bool isStream, IOperation root)
    {
        foreach (var use in Uses(filled, isStream, root))
        {
            if (use is IInvocationOperation { TargetMethod: { Name: "Serialize" or "SerializeAsync" or "SerializeObject" or "WriteObject" or "ToJson" or "Save" } method }
                && IsSerializerNamespace(method.ContainingType?.ContainingNamespace))
            {
                var value = method.Name == "Save" ? null : OperationTree.ArgumentFor(((IInvocationOperation)use).Arguments, isStream ? 1 : 0);
                var what = PathKey.Unwrap(value)?.Type is { SpecialType: SpecialType.None, Name.Length: > 0 } type ? "a serialized " + type.Name : "serialized data";
                return what + ", written by " + method.ContainingType!.Name + "." + method.Name;
            }

            // writer.Write(json) where the text is a serialized object (JsonConvert.SerializeObject(config)).
            if (isStream && use is IInvocationOperation { TargetMethod.Name: "Write" or "WriteLine" or "WriteAsync" or "WriteLineAsync", Arguments.Length: > 0 } write
                && write.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String
                && SerializedContent(write.Arguments[0].Value, isStream: false, root) is { } text)
            {
                return text;
            }

            // The project's own SerializeToStream(obj, stream) over a known serializer.
            if (use is IInvocationOperation { TargetMethod: var own } ownCall && own.Name.StartsWith("Serialize", System.StringComparison.Ordinal)
                && ownCall.SemanticModel is { } model
                && ProjectSerializers.Of(model.Compilation)?.Serializes(own, IsKnownSerializer, default) == true)
            {
                return "serialized data, written by " + own.ContainingType.Name + "." + own.Name;
            }
        }

        return null;
    }

    /// <summary>
    /// For text or bytes: the operations inside the value and inside the value of the local it reads.
    /// For a stream local: every call in the body that takes the stream (or a writer over it) as instance or argument.
    /// </summary>
    private static IEnumerable<IOperation> Uses(IOperation filled, bool isStream, IOperation root)
    {
        if (!isStream)
        {
            var value = PathKey.Unwrap(filled);
            if (value is ILocalReferenceOperation local)
            {
                value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
            }

            if (value is null)
            {
                yield break;
            }

            foreach (var operation in value.DescendantsAndSelf())
            {
                yield return operation is IAwaitOperation await ? await.Operation : operation;
            }

            yield break;
        }

        if (filled.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            yield break;
        }

        var streams = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default) { declarator.Symbol };
        foreach (var operation in root.Descendants())
        {
            if (operation is not IInvocationOperation and not IObjectCreationOperation)
            {
                continue;
            }

            var takesStream = operation is IInvocationOperation { Instance: { } instance } && ReadsLocal(instance, streams);
            var arguments = operation is IInvocationOperation invocation ? invocation.Arguments : ((IObjectCreationOperation)operation).Arguments;
            foreach (var argument in arguments)
            {
                takesStream |= ReadsLocal(argument.Value, streams);
            }

            if (!takesStream)
            {
                continue;
            }

            // A writer over the stream (new StreamWriter(stream)) writes to the same file.
            if (operation is IObjectCreationOperation && operation.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation writer })
            {
                streams.Add(writer.Symbol);
            }

            yield return operation;
        }
    }

    private static bool ReadsLocal(IOperation value, HashSet<ILocalSymbol> locals)
        => PathKey.Unwrap(value) is ILocalReferenceOperation reference && locals.Contains(reference.Local);

    private static bool IsSameValue(IOperation instance, IOperation filled, IOperation root)
        => PathKey.Unwrap(instance) is ILocalReferenceOperation reference
            && filled.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
            && SymbolEqualityComparer.Default.Equals(reference.Local, declarator.Symbol);

    /// <summary>Where a copied stream comes from, when its value in this body shows it: the network or another file.</summary>
    private static string? SourceOrigin(IOperation source, IOperation root, FileApiSymbols apis)
    {
        var value = PathKey.Unwrap(source);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        // An uploaded file itself (IFormFile.CopyTo(file)) or the stream it opens; another use of it (its name in a path)
        // says nothing about the bytes.
        if (value is { Type: INamedTypeSymbol formFile } && IsAspNetHttpType(formFile, "IFormFile")
            || value is IInvocationOperation { TargetMethod.Name: "OpenReadStream", Instance.Type: INamedTypeSymbol opened } && IsAspNetHttpType(opened, "IFormFile"))
        {
            return Uploaded;
        }

        foreach (var operation in WrappedValues(value, root))
        {
            switch (operation)
            {
                case IInvocationOperation call when IsNetwork(call.TargetMethod.ContainingType):
                case IPropertyReferenceOperation property when IsNetwork(property.Property.ContainingType):
                    return "the bytes are downloaded";
                case IInvocationOperation { TargetMethod.Name: "OpenRead" } call when apis.Is(call.TargetMethod.ContainingType, apis.File) || apis.Is(call.TargetMethod.ContainingType, apis.FileInfo):
                case IObjectCreationOperation creation when apis.Is(creation.Type, apis.FileStream) && OpensForReading(creation):
                    return "the bytes are copied from another file";
                case IInvocationOperation { TargetMethod: { Name: "Open" or "GetInputStream" or "OpenEntryStream" } method } when NamesArchive(method.ContainingType):
                    return "the bytes are unpacked from an archive";
                case IPropertyReferenceOperation { Property: { Name: "Body" } body } when IsAspNetHttpType(body.ContainingType, "HttpRequest"):
                    // The client keeps what it sent: the copy here can be sent again.
                    return Uploaded;
                case IInvocationOperation or IPropertyReferenceOperation when operation.SemanticModel is { } model && EmbeddedResource.Opens(operation, model.Compilation):
                    return EmbeddedResource.Evidence;
            }
        }

        return null;
    }

    private const string Uploaded = "the bytes are uploaded by a client";

    /// <summary>How many locals deep a wrapped stream is followed (<c>new XZStream(fileStream)</c> → <c>fileStream</c>'s value).</summary>
    private const int MaxWrapDepth = 3;

    /// <summary>
    /// The operations of a copied stream's value and of the streams it wraps: the locals it reads are followed to their
    /// declared values (a decompressor over a file opened for reading copies that file's bytes).
    /// </summary>
    private static IEnumerable<IOperation> WrappedValues(IOperation? value, IOperation root)
    {
        var visited = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var pending = new List<(IOperation Value, int Depth)>();
        if (value is not null)
        {
            pending.Add((value, 0));
        }

        for (var next = 0; next < pending.Count; next++)
        {
            var (current, depth) = pending[next];
            foreach (var operation in current.DescendantsAndSelf())
            {
                yield return operation;
                if (depth < MaxWrapDepth && operation is ILocalReferenceOperation wrapped && IsWrappedStream(wrapped) && visited.Add(wrapped.Local)
                    && OperationTree.DeclaredValue(wrapped.Local, root) is { } declared)
                {
                    pending.Add((declared, depth + 1));
                }
            }
        }
    }

    /// <summary>
    /// A stream local handed to the constructor of another stream or reader (<c>new GZipStream(source, …)</c>): the wrapper
    /// reads its bytes. Any other local a value mentions (a model merged into the saved text) says nothing of them.
    /// </summary>
    private static bool IsWrappedStream(ILocalReferenceOperation local)
    {
        var value = (IOperation)local;
        while (value.Parent is IConversionOperation)
        {
            value = value.Parent;
        }

        return IsStreamOrReader(local.Local.Type) && value.Parent is IArgumentOperation { Parent: IObjectCreationOperation wrapper } && IsStreamOrReader(wrapper.Type);
    }

    private static bool IsStreamOrReader(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolNames.IsType(current, "System.IO.Stream") || SymbolNames.IsType(current, "System.IO.TextReader"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>new FileStream(path, FileMode.Open, FileAccess.Read, …)</c>: an existing file opened only to be read.</summary>
    private static bool OpensForReading(IObjectCreationOperation creation)
        => creation.Arguments.Any(a => a.Parameter?.Name == "access" && a.Value.ConstantValue is { HasValue: true, Value: 1 })
            && creation.Arguments.Any(a => a.Parameter?.Name == "mode" && a.Value.ConstantValue is { HasValue: true, Value: 3 });

    /// <summary>ASP.NET Core's request (<c>HttpRequest</c>, whose <c>Body</c> is what the client sent) or uploaded file (<c>IFormFile</c>).</summary>
    private static bool IsAspNetHttpType(INamedTypeSymbol? type, string name)
        => type is not null && type.Name == name && SymbolNames.IsNamespace(type.ContainingNamespace, "Microsoft.AspNetCore.Http");

    /// <summary>A zip, tar or other archive type (ZipArchiveEntry, SharpZipLib's ZipFile, TarArchive…).</summary>
    private static bool NamesArchive(INamedTypeSymbol? type)
        => type is not null && NameWords.First(type.Name, ArchiveWords) is not null;

    private static readonly HashSet<string> ArchiveWords = NameWords.Set("zip", "tar", "gzip", "archive", "entry", "rar");

    private static bool IsNetwork(INamedTypeSymbol? type)
        => type is not null && (SymbolNames.IsNamespace(type.ContainingNamespace, "System.Net.Http") || SymbolNames.IsNamespace(type.ContainingNamespace, "System.Net")
            || SymbolNames.IsNamespace(type.ContainingNamespace, "System.Net.Http.Json") || SymbolNames.IsNamespace(type.ContainingNamespace, "System.Net.Sockets")
            || SymbolNames.IsNamespace(type.ContainingNamespace, "System.Net.WebSockets"));

    /// <summary>The network call an argument of the serializer call (other than the stream itself) was read from, through a local.</summary>
    private static string? DownloadedValue(IInvocationOperation serialize, IOperation filled, IOperation root)
    {
        foreach (var argument in serialize.Arguments)
        {
            var value = PathKey.Unwrap(argument.Value);
            if (value is ILocalReferenceOperation local && !IsSameValue(value, filled, root))
            {
                value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
            }

            while (value is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: not null })
            {
                value = PathKey.Unwrap(value is IAwaitOperation await ? await.Operation : ((IInvocationOperation)value).Instance);
            }

            if (value is IInvocationOperation { TargetMethod: var method } && IsNetwork(method.ContainingType))
            {
                return method.ContainingType.Name + "." + method.Name;
            }
        }

        return null;
    }

    private static bool IsMediaType(ITypeSymbol? type)
    {
        for (var ns = type?.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (SymbolNames.IsNamespace(ns, "System.Drawing") || SymbolNames.IsNamespace(ns, "System.Windows.Media.Imaging")
                || SymbolNames.IsNamespace(ns, "SkiaSharp") || SymbolNames.IsNamespace(ns, "SixLabors.ImageSharp"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The collection a foreach variable walks (<c>foreach (var file in source.GetFiles())</c>: the files of a folder handed in).</summary>
    private static IOperation? IteratedCollection(ILocalSymbol local, IOperation root)
    {
        // source.GetFiles() / Directory.GetFiles(dir): the folder they list decides.
        var collection = PathKey.Unwrap(OperationTree.IteratedCollection(local, root));
        return collection is IInvocationOperation { Instance: { } instance } && IsPathType(instance.Type) ? instance
            : collection is IInvocationOperation listing && SymbolNames.IsType(listing.TargetMethod.ContainingType, "System.IO.Directory") && listing.Arguments.Length > 0 ? listing.Arguments[0].Value
            : collection;
    }

    /// <summary>A path, paths, or a file or folder: string, string[], FileSystemInfo and its subclasses.</summary>
    private static bool IsPathType(ITypeSymbol? type)
    {
        if (type is IArrayTypeSymbol array)
        {
            type = array.ElementType;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.SpecialType == SpecialType.System_String || SymbolNames.IsType(current, "System.IO.FileSystemInfo"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsKnownSerializer(IMethodSymbol method)
        => method.Name is "Serialize" or "SerializeAsync" or "SerializeObject" or "WriteObject" && IsSerializerNamespace(method.ContainingType?.ContainingNamespace);

    private static bool IsSerializerNamespace(INamespaceSymbol? ns)
    {
        for (; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (SymbolNames.IsNamespace(ns, "System.Text.Json") || SymbolNames.IsNamespace(ns, "Newtonsoft.Json")
                || SymbolNames.IsNamespace(ns, "System.Xml.Serialization") || SymbolNames.IsNamespace(ns, "System.Runtime.Serialization")
                || SymbolNames.IsNamespace(ns, "System.Xml.Linq"))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(string word) => word.ToLowerInvariant() switch
    {
        "cache" or "caches" or "cached" => "a cache",
        "log" or "logs" or "logfile" or "logger" => "a log",
        "thumbnail" or "thumbnails" or "thumb" or "thumbs" => "thumbnails",
        "download" or "downloads" or "downloaded" => "a download",
        "screenshot" or "screenshots" => "screenshots",
        "export" or "exports" or "exported" => "an export",
        "output" => "output",
        "pid" or "pidfile" => "a process-ID file",
        _ => "a dump",
    };
}
