using Aqs.Kernel.Display.Decoding;
using Aqs.Kernel.Display.Measurement;
using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.References;
using Aqs.Kernel.Display.Tests.Infrastructure;
using Aqs.Shared.Frames;
using Aqs.Shared.Quality;

namespace Aqs.Kernel.Display.Tests.Measurement;

public sealed class QualityWorkerTests
{
    private static readonly FrameLayout Source = new(320, 180, PixelFormat.Yuv420p);

    private static ReferenceStore StoreOf(IEnumerable<EncodedFrame> frames)
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(60), 1L << 30);
        foreach (var f in frames)
        {
            var h = default(Aqs.Shared.Rings.SlotHeader);
            h.FrameId = f.FrameId;
            h.CaptureTimeNs = f.FrameId * 16_666_667;
            h.SetLayout(f.SourceLayout);
            h.PayloadLength = f.SourceLayout.FrameSize;
            store.Add(h, f.Source, h.CaptureTimeNs);
        }
        return store;
    }

    private static List<Picture> Decode(List<EncodedFrame> stream)
    {
        var pictures = new List<Picture>();
        using var stage = new DecodeStage(new PicturePool());
        foreach (var f in stream)
        {
            stage.Decode(f.Header(), f.Data, f.FrameId * 16_666_667, 0, pictures.Add);
        }
        return pictures;
    }

    [Test]
    public void Pictures_at_a_lower_rung_are_scaled_to_the_source_and_all_measured()
    {
        EncodedStream.RequireX264();
        var stream = EncodedStream.Encode(Source, (Source, 6), (new FrameLayout(160, 90, PixelFormat.Yuv420p), 6), (new FrameLayout(240, 136, PixelFormat.Yuv420p10), 6));
        var store = StoreOf(stream);
        using var worker = new QualityWorker(store, 1.0, () => (double.NaN, double.NaN), null, null, 1.0, useGpu: false, _ => { });
        foreach (var picture in Decode(stream))
        {
            worker.OfferPresented(picture);
            picture.Release();
            worker.Drain(); // one at a time: the queue never refuses in this test
        }
        var totals = worker.Totals();
        Assert.That(totals.Measured, Is.EqualTo(18), "no rung is left 'unmatched'");
        Assert.That(totals.Scaled, Is.EqualTo(12));
        Assert.That(totals.NoReference, Is.Zero);
        Assert.That(totals.SsimMean, Is.GreaterThan(0.9), "a lower rung scaled back still resembles its source");
        Assert.That(totals.SsimDbMean, Is.EqualTo(Decibels.Ssim(totals.SsimMean!.Value)).Within(3.0));
    }

    [Test]
    public void A_picture_whose_source_was_not_kept_is_counted_unmeasured_not_held()
    {
        EncodedStream.RequireX264();
        var stream = EncodedStream.Encode(Source, (Source, 4));
        var store = StoreOf(stream.Skip(2)); // sources of frames 0 and 1 never kept
        using var worker = new QualityWorker(store, 1.0, () => (double.NaN, double.NaN), null, null, 1.0, useGpu: false, _ => { });
        foreach (var picture in Decode(stream))
        {
            worker.OfferPresented(picture);
            picture.Release();
            worker.Drain();
        }
        Assert.That(worker.Totals().NoReference, Is.EqualTo(2));
        Assert.That(worker.Totals().Measured, Is.EqualTo(2));
    }

    [Test]
    public void A_frozen_picture_scores_against_the_source_due_on_screen_lower_than_against_its_own()
    {
        EncodedStream.RequireX264();
        var stream = EncodedStream.Encode(Source, (Source, 40));
        var store = StoreOf(stream);
        using var worker = new QualityWorker(store, 1.0, () => (double.NaN, double.NaN), null, null, 1.0, useGpu: false, _ => { });
        var pictures = Decode(stream);
        var frozen = pictures[5];
        worker.OfferPresented(frozen);
        worker.Drain();
        worker.OfferOnScreen(frozen, 30 * 16_666_667); // 25 frames later the screen still shows frame 5
        worker.Drain();
        var totals = worker.Totals();
        Assert.That(totals.OnScreenScored, Is.EqualTo(1));
        Assert.That(totals.OnScreenStale, Is.EqualTo(1));
        Assert.That(totals.OnScreenSsimMean, Is.LessThan(totals.SsimMean!.Value - 0.01));
        foreach (var p in pictures)
        {
            p.Release();
        }
    }
}
