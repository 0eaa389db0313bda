namespace PalmLab.Tests.Support;

/// <summary>Tiny iChallenge-PM releases: the official folder tree, and the three official zips as they really unpack.</summary>
public static class TestDataSets
{
    /// <summary>Writes PALM-Training400/, PALM-Validation400/ and PALM-Validation-GT/labels.csv under <paramref name="folder"/>.</summary>
    public static string WriteTree(string folder, int normal = 3, int high = 1, int pathologic = 4, int validation = 4)
    {
        TestImages.WriteTrainingFolder(Path.Combine(folder, "PALM-Training400"), normal, high, pathologic);
        var validationDir = Path.Combine(folder, "PALM-Validation400");
        TestImages.WriteValidationFolder(validationDir, validation);
        var gt = Directory.CreateDirectory(Path.Combine(folder, "PALM-Validation-GT")).FullName;
        File.Move(Path.Combine(validationDir, "labels.csv"), Path.Combine(gt, "labels.csv"));
        return folder;
    }

    /// <summary>
    /// training.zip (images under PALM-Training400/PALM-Training400/, with __MACOSX and .DS_Store litter), validation.zip and
    /// valid_gt.zip (labels.csv and a disc mask), written into <paramref name="folder"/> from a tree written by <see cref="WriteTree"/>.
    /// </summary>
    public static (string Training, string Validation, string Labels) WriteZips(string folder, string tree)
    {
        var training = Path.Combine(tree, "PALM-Training400");
        var trainingEntries = TestZips.FolderEntries(training, "PALM-Training400/PALM-Training400/").ToList();
        trainingEntries.AddRange(trainingEntries.Select(e => ("__MACOSX/" + Path.GetDirectoryName(e.Name) + "/._" + Path.GetFileName(e.Name), new byte[] { 0, 5, 22, 7 })).ToList());
        trainingEntries.Add(("PALM-Training400/.DS_Store", [1, 2, 3]));
        trainingEntries.Add(("PALM-Training400/PALM-Training400/", []));
        var maskEntries = TestZips.FolderEntries(Path.Combine(tree, "PALM-Validation400"), "PALM-Validation-GT/Disc_Masks/").Take(1);
        return (
            TestZips.Write(Path.Combine(folder, "training.zip"), trainingEntries),
            TestZips.Write(Path.Combine(folder, "validation.zip"), TestZips.FolderEntries(Path.Combine(tree, "PALM-Validation400"), "PALM-Validation400/")),
            TestZips.Write(Path.Combine(folder, "valid_gt.zip"),
                TestZips.FolderEntries(Path.Combine(tree, "PALM-Validation-GT"), "PALM-Validation-GT/").Concat(maskEntries)));
    }
}
