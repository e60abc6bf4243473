using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class ValidationRejectsOldDataTests
{
    private const string Model = """
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;

        public class Settings
        {
            [Required, Range(1, 64)]
            public int Workers { get; set; } = 4;

            [Required]
            public string Folder { get; set; } = "";
        }
        """;

    [Fact]
    public async Task Flags_throwing_validation_of_data_just_loaded()
    {
        await Verify.AnalyzerAsync<ValidationRejectsOldDataCheck>(
            """
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;
            using System.IO;
            using System.Text.Json;
            using FluentValidation;

            class Store
            {
                Settings Load(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;
                    {|CKPT107:Validator.ValidateObject(settings, new ValidationContext(settings), validateAllProperties: true)|};
                    return settings;
                }

                Settings LoadChecked(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;
                    var results = new List<ValidationResult>();
                    if (!{|CKPT107:Validator.TryValidateObject(settings, new ValidationContext(settings), results, true)|})
                    {
                        throw new InvalidDataException(results[0].ErrorMessage);
                    }

                    return settings;
                }

                Settings LoadFluent(string path, IValidator<Settings> validator)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;
                    {|CKPT107:validator.ValidateAndThrow(settings)|};
                    return settings;
                }
            }

            namespace FluentValidation
            {
                public interface IValidator<T> { }
                public class ValidationException : System.Exception { }
                public static class DefaultValidatorExtensions
                {
                    public static void ValidateAndThrow<T>(this IValidator<T> validator, T instance) { }
                }
            }
            """, null, Model);
    }

    [Fact]
    public async Task Flags_a_converter_of_a_stored_model_that_throws_on_unknown_values()
    {
        await Verify.AnalyzerAsync<ValidationRejectsOldDataCheck>(
            """
            using System;
            using System.IO;
            using System.Text.Json;
            using System.Text.Json.Serialization;

            [JsonConverter(typeof(StageConverter))]
            public enum Stage { Upload, Ocr, Layout }

            public class Checkpoint
            {
                public Stage Stage { get; set; }

                [JsonConverter(typeof(ModeConverter))]
                public string Mode { get; set; } = "";
            }

            public sealed class StageConverter : JsonConverter<Stage>
            {
                public override Stage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                    => reader.GetString() switch
                    {
                        "upload" => Stage.Upload,
                        "ocr" => Stage.Ocr,
                        "layout" => Stage.Layout,
                        _ => {|CKPT107:throw new JsonException("unknown stage")|},
                    };

                public override void Write(Utf8JsonWriter writer, Stage value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            public sealed class ModeConverter : JsonConverter<string>
            {
                public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                    => {|CKPT107:Enum.Parse<StringComparison>(reader.GetString()!)|}.ToString();

                public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
            }

            class Store
            {
                void Save(string path, Checkpoint checkpoint) => File.WriteAllText(path, JsonSerializer.Serialize(checkpoint));

                Checkpoint? Load(string path) => JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path));
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_load_handles_failures_or_the_data_is_not_stored()
    {
        await Verify.AnalyzerAsync<ValidationRejectsOldDataCheck>(
            """
            using System;
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;
            using System.IO;
            using System.Text.Json;
            using System.Text.Json.Serialization;

            class Store
            {
                // The failure is caught: the load sets the file aside and starts from defaults.
                Settings Load(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;
                    try
                    {
                        Validator.ValidateObject(settings, new ValidationContext(settings), true);
                    }
                    catch (ValidationException)
                    {
                        File.Move(path, path + ".invalid", true);
                        return new Settings();
                    }

                    return settings;
                }

                // Reports problems without throwing.
                List<ValidationResult> Check(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;
                    var results = new List<ValidationResult>();
                    Validator.TryValidateObject(settings, new ValidationContext(settings), results, true);
                    return results;
                }

                // Loaded, changed from a request, validated before the save: the new input is what is rejected.
                void Update(string path, int workers)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;
                    settings.Workers = workers;
                    Validator.ValidateObject(settings, new ValidationContext(settings), true);
                    File.WriteAllText(path, JsonSerializer.Serialize(settings));
                }

                // Input from a user, not stored data.
                void Apply(Settings fromRequest) => Validator.ValidateObject(fromRequest, new ValidationContext(fromRequest), true);
            }

            // A converter that falls back for unknown values, and one only used for an HTTP response that is never stored.
            public enum Stage { Upload, Ocr }

            public sealed class LenientStageConverter : JsonConverter<Stage>
            {
                public override Stage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                    => Enum.TryParse<Stage>(reader.GetString(), true, out var stage) ? stage : Stage.Upload;

                public override void Write(Utf8JsonWriter writer, Stage value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            public sealed class StrictConverter : JsonConverter<Stage>
            {
                public override Stage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                    => reader.GetString() switch { "upload" => Stage.Upload, _ => throw new JsonException() };

                public override void Write(Utf8JsonWriter writer, Stage value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
            }

            // A guard on the kind of token rejects malformed JSON, not a value an older build wrote.
            public sealed class TokenGuardConverter : JsonConverter<int>
            {
                public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.Number:
                            return reader.GetInt32();
                        case JsonTokenType.String:
                            return int.TryParse(reader.GetString(), out var n) ? n : 0;
                        default:
                            throw new JsonException("expected a number");
                    }
                }

                public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
            }

            public class Checkpoint
            {
                [JsonConverter(typeof(LenientStageConverter))]
                public Stage Stage { get; set; }

                [JsonConverter(typeof(TokenGuardConverter))]
                public int Pages { get; set; }
            }

            public class StatusResponse
            {
                [JsonConverter(typeof(StrictConverter))]
                public Stage Stage { get; set; }
            }

            class CheckpointStore
            {
                void Save(string path, Checkpoint checkpoint) => File.WriteAllText(path, JsonSerializer.Serialize(checkpoint));
            }
            """, null, Model);
    }
}
