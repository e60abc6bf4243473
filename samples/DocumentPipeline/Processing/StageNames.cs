namespace DocumentPipeline.Processing;

public static class StageNames
{
    public const int Count = 15;

    private static readonly string[] Names =
    [
        "upload", "preprocessing", "ocr", "layout-raw", "cell-assignment", "table-structure-raw",
        "table-cell-matching", "page-assembly", "reading-order", "caption-footnote", "merge-prediction",
        "code-formula", "picture-classification", "picture-description", "export",
    ];

    public static string Of(int stage) => stage is >= 1 and <= Count
        ? Names[stage - 1]
        : throw new ArgumentOutOfRangeException(nameof(stage), stage, "Stages are numbered 1 to 15.");

    public static Type CheckpointType(int stage) => stage switch
    {
        1 => typeof(Models.UploadCheckpoint),
        2 => typeof(Models.PreprocessingCheckpoint),
        3 => typeof(Models.OcrCheckpoint),
        4 => typeof(Models.LayoutCheckpoint),
        5 => typeof(Models.CellAssignmentCheckpoint),
        6 => typeof(Models.TableStructureCheckpoint),
        7 => typeof(Models.TableMatchingCheckpoint),
        8 => typeof(Models.PageAssemblyCheckpoint),
        9 => typeof(Models.ReadingOrderCheckpoint),
        10 => typeof(Models.CaptionCheckpoint),
        11 => typeof(Models.MergeCheckpoint),
        12 => typeof(Models.CodeFormulaCheckpoint),
        13 => typeof(Models.PictureClassificationCheckpoint),
        14 => typeof(Models.PictureDescriptionCheckpoint),
        15 => typeof(Models.ExportCheckpoint),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Stages are numbered 1 to 15."),
    };
}
