using System.Runtime.InteropServices;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>The few Xlib calls a plain window needs (libX11.so.6). Native names kept.</summary>
internal static unsafe partial class Interop
{
    internal static partial class X11
    {
        private const string Library = "libX11.so.6";

        public const long ExposureMask = 1L << 15;
        public const long StructureNotifyMask = 1L << 17;
        public const int ClientMessage = 33;
        public const int DestroyNotify = 17;
        /// <summary>XEvent is a union of 24 longs.</summary>
        public const int EventBytes = 24 * 8;

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        public static partial nint XOpenDisplay(string? name);

        [LibraryImport(Library)]
        public static partial int XCloseDisplay(nint display);

        [LibraryImport(Library)]
        public static partial int XDefaultScreen(nint display);

        [LibraryImport(Library)]
        public static partial nint XRootWindow(nint display, int screen);

        [LibraryImport(Library)]
        public static partial nuint XBlackPixel(nint display, int screen);

        [LibraryImport(Library)]
        public static partial nint XCreateSimpleWindow(nint display, nint parent, int x, int y, uint width, uint height, uint borderWidth, nuint border, nuint background);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int XStoreName(nint display, nint window, string name);

        [LibraryImport(Library)]
        public static partial int XSelectInput(nint display, nint window, nint mask);

        [LibraryImport(Library)]
        public static partial int XMapWindow(nint display, nint window);

        [LibraryImport(Library)]
        public static partial int XFlush(nint display);

        [LibraryImport(Library)]
        public static partial int XSync(nint display, int discard);

        [LibraryImport(Library)]
        public static partial int XPending(nint display);

        [LibraryImport(Library)]
        public static partial int XNextEvent(nint display, byte* eventReturn);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        public static partial nint XInternAtom(nint display, string name, int onlyIfExists);

        [LibraryImport(Library)]
        public static partial int XSetWMProtocols(nint display, nint window, nint* protocols, int count);

        [LibraryImport(Library)]
        public static partial int XDestroyWindow(nint display, nint window);
    }
}
