using CheckpointAudit.CodeFixes.StateSync;
using CheckpointAudit.StateSync;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.StateSync;

public class ClientStateUnvalidatedTests
{
    [Fact]
    public async Task Flags_browser_state_read_as_if_only_this_build_could_have_written_it()
    {
        await Run("""
            using System.Text.Json;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
            using Microsoft.JSInterop;

            public class Cart { public string[] Items { get; set; } = []; }

            public class CartState(ProtectedLocalStorage local, ProtectedSessionStorage session, IJSRuntime js)
            {
                public Cart Current { get; private set; } = new();

                public int Visits { get; private set; }

                public async Task RestoreAsync()
                {
                    var stored = await {|CKPT702:local.GetAsync<Cart>("cart")|};
                    Current = stored.Value ?? new Cart();   // a reference type: null says nothing was read
                }

                public async Task RestoreVisitsAsync()
                {
                    var stored = await {|CKPT702:local.GetAsync<int>("visits")|};   // a number cannot change shape, a key ring can
                    Visits = {|CKPT702:stored.Value|};   // 0 for a missing entry, the same as a stored 0
                }

                public async Task<Cart?> FromSessionAsync()
                {
                    var stored = await {|CKPT702:session.GetAsync<Cart>("cart")|};
                    return stored.Success ? stored.Value : null;
                }

                public async Task<Cart?> FromScriptAsync()
                {
                    var text = await js.InvokeAsync<string>("localStorage.getItem", "cart");
                    return {|CKPT702:JsonSerializer.Deserialize<Cart>(text)|};
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_read_is_guarded_and_its_result_tested()
    {
        await Run("""
            using System;
            using System.Security.Cryptography;
            using System.Text.Json;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
            using Microsoft.JSInterop;

            public class Cart { public string[] Items { get; set; } = []; }

            public class CartState(ProtectedLocalStorage local, IJSRuntime js)
            {
                public Cart Current { get; private set; } = new();

                public async Task RestoreAsync()
                {
                    try
                    {
                        var stored = await local.GetAsync<Cart>("cart");
                        Current = stored.Success && stored.Value is { } cart ? cart : new Cart();
                    }
                    catch (Exception e) when (e is CryptographicException or JsonException)
                    {
                        await local.DeleteAsync("cart");
                        Current = new Cart();
                    }
                }

                // Every caller catches: the guard is theirs.
                private async Task<Cart?> ReadAsync()
                {
                    var stored = await local.GetAsync<Cart>("cart");
                    return stored.Success ? stored.Value : null;
                }

                public async Task<Cart> LoadAsync()
                {
                    try { return await ReadAsync() ?? new Cart(); }
                    catch (Exception) { return new Cart(); }
                }

                public async Task<Cart?> FromScriptAsync()
                {
                    var text = await js.InvokeAsync<string>("localStorage.getItem", "cart");
                    try { return JsonSerializer.Deserialize<Cart>(text); }
                    catch (JsonException) { return null; }
                }

                // A nullable number: null says nothing was stored.
                public async Task<int> CountAsync()
                {
                    try
                    {
                        var stored = await local.GetAsync<int?>("count");
                        return stored.Value ?? 0;
                    }
                    catch (CryptographicException)
                    {
                        return 0;
                    }
                }

                // A flag cannot change shape: the key ring is the one thing to guard against.
                public async Task<bool?> DarkModeAsync()
                {
                    try
                    {
                        var stored = await local.GetAsync<bool>("dark");
                        return stored.Success ? stored.Value : null;
                    }
                    catch (CryptographicException)
                    {
                        return null;
                    }
                }

                // Success tested on an earlier read of the same entry.
                public async Task<DateTime> LastReadAsync()
                {
                    try
                    {
                        if (!(await local.GetAsync<DateTime>("last-read")).Success)
                            return DateTime.MinValue;

                        var stored = await local.GetAsync<DateTime>("last-read");
                        return stored.Value;
                    }
                    catch (CryptographicException)
                    {
                        return DateTime.MinValue;
                    }
                }

                // Not browser storage.
                public Cart? Parse(string text) => JsonSerializer.Deserialize<Cart>(text);
            }
            """);
    }

    [Fact]
    public async Task Fix_deletes_an_unreadable_entry_and_starts_from_defaults_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<ClientStateUnvalidatedCheck, DeleteUnreadableEntryCodeFixProvider>(
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

            public class Cart { public string[] Items { get; set; } = []; }

            public class CartState(ProtectedLocalStorage local, ProtectedSessionStorage session)
            {
                private const string Key = "cart";

                public Cart Current { get; private set; } = new();

                public async Task RestoreAsync()
                {
                    var stored = await {|CKPT702:local.GetAsync<Cart>(Key)|};
                    Current = stored.Success ? stored.Value! : new Cart();
                }

                public async Task<Cart?> FromSessionAsync()
                {
                    var fromSession = await {|CKPT702:session.GetAsync<Cart>("cart")|};
                    return fromSession.Success ? fromSession.Value : null;
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

            public class Cart { public string[] Items { get; set; } = []; }

            public class CartState(ProtectedLocalStorage local, ProtectedSessionStorage session)
            {
                private const string Key = "cart";

                public Cart Current { get; private set; } = new();

                public async Task RestoreAsync()
                {
                    ProtectedBrowserStorageResult<Cart> stored;
                    try
                    {
                        stored = await local.GetAsync<Cart>(Key);
                    }
                    catch (System.Exception unreadable) when (unreadable is System.Security.Cryptography.CryptographicException || unreadable is System.Text.Json.JsonException)
                    {
                        await local.DeleteAsync(Key);
                        stored = default;
                    }
                    Current = stored.Success ? stored.Value! : new Cart();
                }

                public async Task<Cart?> FromSessionAsync()
                {
                    ProtectedBrowserStorageResult<Cart> fromSession;
                    try
                    {
                        fromSession = await session.GetAsync<Cart>("cart");
                    }
                    catch (System.Exception unreadable) when (unreadable is System.Security.Cryptography.CryptographicException || unreadable is System.Text.Json.JsonException)
                    {
                        await session.DeleteAsync("cart");
                        fromSession = default;
                    }
                    return fromSession.Success ? fromSession.Value : null;
                }
            }
            """,
            withHelper: false);
        TestReferences.UseAspNetCore(test.TestState);
        TestReferences.UseAspNetCore(test.FixedState);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    /// <summary>Blazored.LocalStorage and Blazored.SessionStorage as far as the rule reads them.</summary>
    private const string Blazored = """
        namespace Blazored.LocalStorage
        {
            using System.Threading;
            using System.Threading.Tasks;

            public interface ILocalStorageService
            {
                ValueTask<T?> GetItemAsync<T>(string key, CancellationToken cancellationToken = default);
                ValueTask RemoveItemAsync(string key, CancellationToken cancellationToken = default);
            }

            public interface ISyncLocalStorageService
            {
                T? GetItem<T>(string key);
                void RemoveItem(string key);
            }
        }
        """;

    [Fact]
    public async Task Flags_blazored_reads_without_a_catch_and_stays_quiet_with_one()
    {
        var test = Verify.AnalyzerTest<ClientStateUnvalidatedCheck>("""
            using System.Text.Json;
            using System.Threading.Tasks;
            using Blazored.LocalStorage;

            public class Cart { public string[] Items { get; set; } = []; }

            public class CartState(ILocalStorageService local, ISyncLocalStorageService sync)
            {
                public Cart Current { get; private set; } = new();

                public async Task RestoreAsync() => Current = await {|CKPT702:local.GetItemAsync<Cart>("cart")|} ?? new Cart();

                public void Restore() => Current = {|CKPT702:sync.GetItem<Cart>("cart")|} ?? new Cart();

                public async Task RestoreGuardedAsync()
                {
                    try
                    {
                        Current = await local.GetItemAsync<Cart>("cart") ?? new Cart();
                    }
                    catch (JsonException)
                    {
                        await local.RemoveItemAsync("cart");
                        Current = new Cart();
                    }
                }
            }
            """);
        test.TestState.Sources.Add(("Blazored.cs", Blazored));
        TestReferences.UseAspNetCore(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_guards_blazored_reads_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<ClientStateUnvalidatedCheck, DeleteUnreadableEntryCodeFixProvider>(
            """
            #nullable enable
            using System.Threading.Tasks;
            using Blazored.LocalStorage;

            public class Cart { public string[] Items { get; set; } = []; }

            public class CartState(ILocalStorageService local, ISyncLocalStorageService sync)
            {
                public Cart Current { get; private set; } = new();

                public async Task RestoreAsync()
                {
                    var stored = await {|CKPT702:local.GetItemAsync<Cart>("cart")|};
                    Current = stored ?? new Cart();
                }

                public void Restore()
                {
                    var stored = {|CKPT702:sync.GetItem<Cart>("cart")|};
                    Current = stored ?? new Cart();
                }
            }
            """,
            """
            #nullable enable
            using System.Threading.Tasks;
            using Blazored.LocalStorage;

            public class Cart { public string[] Items { get; set; } = []; }

            public class CartState(ILocalStorageService local, ISyncLocalStorageService sync)
            {
                public Cart Current { get; private set; } = new();

                public async Task RestoreAsync()
                {
                    Cart? stored;
                    try
                    {
                        stored = await local.GetItemAsync<Cart>("cart");
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        await local.RemoveItemAsync("cart");
                        stored = default;
                    }
                    Current = stored ?? new Cart();
                }

                public void Restore()
                {
                    Cart? stored;
                    try
                    {
                        stored = sync.GetItem<Cart>("cart");
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        sync.RemoveItem("cart");
                        stored = default;
                    }
                    Current = stored ?? new Cart();
                }
            }
            """,
            withHelper: false);
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.Sources.Add(("Blazored.cs", Blazored));
            TestReferences.UseAspNetCore(state);
        }

        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_in_test_projects()
    {
        var test = Verify.AnalyzerTest<ClientStateUnvalidatedCheck>("""
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

            public class CartState(ProtectedLocalStorage local)
            {
                public async Task<string?> RestoreAsync() => (await local.GetAsync<string>("cart")).Value;
            }
            """);
        TestReferences.UseAspNetCore(test.TestState);
        TestReferences.AsTestProject(test.TestState, TestReferences.Net100);
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_where_the_read_is_not_a_plain_declaration()
    {
        var source = """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

            public class CartState(ProtectedLocalStorage local)
            {
                public string Draft { get; private set; } = "";

                private ProtectedLocalStorage Storage() => local;

                public async Task RestoreAsync()
                {
                    Draft = (await {|CKPT702:local.GetAsync<string>("draft")|}).Value ?? "";   // not a declaration
                    var other = await {|CKPT702:Storage().GetAsync<string>("other")|};   // the storage would be asked for twice
                    Draft += other.Value;
                }
            }
            """;
        var test = Verify.CodeFix<ClientStateUnvalidatedCheck, DeleteUnreadableEntryCodeFixProvider>(source, source, withHelper: false);
        TestReferences.UseAspNetCore(test.TestState);
        await test.RunAsync();
    }

    private static async Task Run(string source)
    {
        var test = Verify.AnalyzerTest<ClientStateUnvalidatedCheck>(source);
        TestReferences.UseAspNetCore(test.TestState);
        await test.RunAsync();
    }
}
