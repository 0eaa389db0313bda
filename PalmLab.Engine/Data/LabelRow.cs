namespace PalmLab.Engine.Data;

/// <summary>One row of the official validation sheet: <c>ID,imgName,Label,Fovea_X,Fovea_Y</c> (fovea in pixels of the image).</summary>
public sealed record LabelRow(int Id, string ImgName, int Label, double FoveaX, double FoveaY);
