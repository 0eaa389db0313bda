using Microsoft.Extensions.Configuration;
using PalmLab.Web.Security;

namespace PalmLab.Tests.Web.Security;

public class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5180")]
    [InlineData("http://127.0.0.2:5180")]
    [InlineData("http://localhost:5180")]
    [InlineData("https://LOCALHOST:5181/")]
    [InlineData("http://[::1]:5180")]
    [InlineData("http://[::ffff:127.0.0.1]:5180")]
    [InlineData("http://127.0.0.1")]
    public void IsLoopback_LoopbackAddress_True(string address) => Assert.True(ListenAddresses.IsLoopback(address));

    [Theory]
    [InlineData("http://0.0.0.0:5180")]
    [InlineData("http://+:5180")]
    [InlineData("http://*:5180")]
    [InlineData("http://[::]:5180")]
    [InlineData("http://192.168.1.20:5180")]
    [InlineData("http://10.0.0.5")]
    [InlineData("http://palmlab.lab.example:5180")]
    [InlineData("http://localhost.example.com:5180")]
    [InlineData("http://unix:/run/palmlab.sock")]
    [InlineData("http://[fe80::1]:5180")]
    public void IsLoopback_AnyOtherAddress_False(string address) => Assert.False(ListenAddresses.IsLoopback(address));

    [Fact]
    public void FromConfiguration_UrlsAndKestrelEndpoints_ListsThemAll()
    {
        var configuration = Configuration(new()
        {
            ["urls"] = "http://127.0.0.1:5180; http://0.0.0.0:5181",
            ["Kestrel:Endpoints:Lan:Url"] = "http://192.168.1.20:5182",
            ["http_ports"] = "8080",
        });

        var addresses = ListenAddresses.FromConfiguration(configuration);

        Assert.Equal(["http://192.168.1.20:5182", "http://127.0.0.1:5180", "http://0.0.0.0:5181"], addresses);
    }

    [Fact]
    public void FromConfiguration_OnlyHttpPorts_BindsEveryInterface()
    {
        var addresses = ListenAddresses.FromConfiguration(Configuration(new() { ["http_ports"] = "8080;8081" }));

        Assert.Equal(["http://*:8080", "http://*:8081"], addresses);
        Assert.DoesNotContain(addresses, ListenAddresses.IsLoopback);
    }

    [Fact]
    public void FromConfiguration_Nothing_IsKestrelsLocalhostDefault()
    {
        var addresses = ListenAddresses.FromConfiguration(Configuration([]));

        Assert.Equal([ListenAddresses.KestrelDefault], addresses);
        Assert.True(ListenAddresses.IsLoopback(addresses[0]));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
