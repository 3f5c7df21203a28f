namespace LrDoctor.Hosting;

/// <summary>An invalid daemon configuration found at start: the message names the key.</summary>
/// <param name="message">The message, starting with the key.</param>
internal sealed class ConfigurationException(string message) : Exception(message);
