using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.JSInterop;
using Xunit;

namespace CheckpointAudit.Tests.StateSync;

/// <summary>
/// What CKPT702 is about, on Blazor's real <see cref="ProtectedLocalStorage"/> and data protection: the browser keeps
/// what an earlier deployment wrote. An entry protected under another key ring (a redeploy with new keys) makes the
/// read throw <see cref="CryptographicException"/>, and one written by an older build in another shape throws
/// <see cref="JsonException"/>, on every load; the guarded read the rule's page shows deletes the entry and starts from
/// defaults. The browser is a dictionary behind <see cref="IJSRuntime"/>, the calls ProtectedLocalStorage makes.
/// </summary>
public sealed class ProtectedStorageEngineTests
{
    private readonly BrowserStorage _browser = new();

    [Fact]
    public async Task An_entry_protected_under_another_key_ring_throws_on_every_unguarded_read()
    {
        await Storage(new EphemeralDataProtectionProvider()).SetAsync("cart", new CartV2 { Items = ["book"] });
        var redeployed = Storage(new EphemeralDataProtectionProvider());

        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await redeployed.GetAsync<CartV2>("cart"));
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await redeployed.GetAsync<CartV2>("cart")); // and again: nothing heals
    }

    [Fact]
    public async Task An_entry_an_older_build_wrote_in_another_shape_throws_on_every_unguarded_read()
    {
        var keys = new EphemeralDataProtectionProvider();
        await Storage(keys).SetAsync("cart", new CartV1 { Items = "book,pen" });

        await Assert.ThrowsAsync<JsonException>(async () => await Storage(keys).GetAsync<CartV2>("cart"));
    }

    [Fact]
    public async Task The_guarded_read_deletes_the_bad_entry_and_starts_from_defaults()
    {
        await Storage(new EphemeralDataProtectionProvider()).SetAsync("cart", new CartV2 { Items = ["book"] });
        var redeployed = Storage(new EphemeralDataProtectionProvider());

        var cart = await GuardedReadAsync(redeployed);

        Assert.Empty(cart.Items);
        Assert.False(_browser.Contains("cart"));
        Assert.Empty((await GuardedReadAsync(redeployed)).Items); // the next load is clean
    }

    /// <summary>The pattern of the rule's page.</summary>
    private static async Task<CartV2> GuardedReadAsync(ProtectedLocalStorage storage)
    {
        try
        {
            var stored = await storage.GetAsync<CartV2>("cart");
            return stored.Success && stored.Value is { } cart ? cart : new CartV2();
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            await storage.DeleteAsync("cart");
            return new CartV2();
        }
    }

    private ProtectedLocalStorage Storage(IDataProtectionProvider keys) => new(_browser, keys);

    public sealed class CartV1 { public string Items { get; set; } = ""; }

    public sealed class CartV2 { public string[] Items { get; set; } = []; }

    /// <summary>localStorage: getItem, setItem and removeItem, as ProtectedLocalStorage calls them.</summary>
    private sealed class BrowserStorage : IJSRuntime
    {
        private readonly Dictionary<string, string> _items = [];

        public bool Contains(string key) => _items.ContainsKey(key);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
            => InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            var key = (string)args![0]!;
            object? result = identifier switch
            {
                "localStorage.getItem" => _items.GetValueOrDefault(key),
                "localStorage.setItem" => _items[key] = (string)args[1]!,
                "localStorage.removeItem" => _items.Remove(key),
                _ => throw new InvalidOperationException(identifier),
            };
            return new ValueTask<TValue>(identifier == "localStorage.getItem" ? (TValue)result! : default!);
        }
    }
}
