namespace Aqs.Kernel.Display.Rendering;

/// <summary>
/// A plain X11 window for <c>--window</c> (Silk.NET's windowing packages are not obtainable here; Vulkan presents to an
/// Xlib surface directly). Placed at the top-left corner of the display; closing it (WM_DELETE_WINDOW) ends the run.
/// </summary>
public sealed unsafe class X11Window : IDisposable
{
    private readonly nint _deleteAtom;

    private X11Window(nint display, nint window, nint deleteAtom, int width, int height)
    {
        Display = display;
        Handle = window;
        _deleteAtom = deleteAtom;
        Width = width;
        Height = height;
    }

    public nint Display { get; }
    public nint Handle { get; }
    public int Width { get; }
    public int Height { get; }
    public bool Closed { get; private set; }

    /// <summary>Opens a window on $DISPLAY; a missing display or library is a one-line <see cref="VulkanUnavailableException"/>.</summary>
    /// <param name="displayName">The X display (":1"); null takes $DISPLAY.</param>
    public static X11Window Open(int width, int height, string title, string? displayName = null)
    {
        nint display;
        try
        {
            display = Interop.X11.XOpenDisplay(displayName);
        }
        catch (DllNotFoundException)
        {
            throw new VulkanUnavailableException("--window needs libX11 (install libx11-6) and an X display");
        }
        if (display == 0)
        {
            var name = displayName ?? Environment.GetEnvironmentVariable("DISPLAY");
            throw new VulkanUnavailableException(string.IsNullOrEmpty(name)
                ? "--window needs an X display and DISPLAY is not set (run under X or Xvfb, or leave --window out for headless rendering)"
                : $"--window: cannot open X display '{name}'");
        }
        var screen = Interop.X11.XDefaultScreen(display);
        var root = Interop.X11.XRootWindow(display, screen);
        var black = Interop.X11.XBlackPixel(display, screen);
        var window = Interop.X11.XCreateSimpleWindow(display, root, 0, 0, (uint)width, (uint)height, 0, black, black);
        Interop.X11.XStoreName(display, window, title);
        Interop.X11.XSelectInput(display, window, (nint)(Interop.X11.ExposureMask | Interop.X11.StructureNotifyMask));
        var delete = Interop.X11.XInternAtom(display, "WM_DELETE_WINDOW", 0);
        Interop.X11.XSetWMProtocols(display, window, &delete, 1);
        Interop.X11.XMapWindow(display, window);
        Interop.X11.XSync(display, 0);
        return new X11Window(display, window, delete, width, height);
    }

    /// <summary>Handles pending events; notices the window being closed.</summary>
    public void Pump()
    {
        var e = stackalloc byte[Interop.X11.EventBytes];
        while (Interop.X11.XPending(Display) > 0)
        {
            Interop.X11.XNextEvent(Display, e);
            var type = *(int*)e;
            // XClientMessageEvent: type, serial, send_event, display, window, message_type, format, data.l[0] at byte 56.
            if ((type == Interop.X11.ClientMessage && *(nint*)(e + 56) == _deleteAtom) || type == Interop.X11.DestroyNotify)
            {
                Closed = true;
            }
        }
    }

    public void Dispose()
    {
        Interop.X11.XDestroyWindow(Display, Handle);
        Interop.X11.XCloseDisplay(Display);
    }
}
