"""A private X display (Xvfb on a free display number, openbox as the window manager), the
applications started on it, screenshots of it, and waiting for it to settle. Everything started
here is killed by close(), and by the generator's exit handler if the run is interrupted."""

import os
import re
import shutil
import signal
import subprocess
import time

from PIL import Image, ImageChops

LIVE = []  # every XSession not yet closed (the exit handler closes them)


class XSession:
    def __init__(self, width, height, workdir, maximize=True):
        self.size = (width, height)
        self.workdir = workdir
        os.makedirs(workdir, exist_ok=True)
        self.procs = []
        r, w = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", f"{width}x{height}x24",
                                      "-nolisten", "tcp", "-noreset"], pass_fds=(w,),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(w)
        with os.fdopen(r) as f:
            num = f.readline().strip()
        if not num:
            self.xvfb.kill()
            self.xvfb.wait()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{num}"
        LIVE.append(self)
        try:
            self._start_wm(maximize)
        except BaseException:
            self.close()
            raise

    def _start_wm(self, maximize):
        rc = os.path.join(self.workdir, "openbox-rc.xml")
        with open("/etc/xdg/openbox/rc.xml") as f:
            conf = f.read()
        rule = "<applications><application class=\"*\"><maximized>yes</maximized></application></applications>" \
            if maximize else "<applications></applications>"
        conf = re.sub(r"<applications>.*</applications>", rule, conf, flags=re.S)
        with open(rc, "w") as f:
            f.write(conf)
        self.spawn(["openbox", "--config-file", rc])
        self.wait_for(lambda: self.xdotool("getdisplaygeometry", check=False) is not None, 10, "the X server")

    def env(self, **extra):
        e = dict(os.environ, DISPLAY=self.display, NO_AT_BRIDGE="1")
        e.pop("WAYLAND_DISPLAY", None)
        e.pop("DBUS_SESSION_BUS_ADDRESS", None)
        e.update(extra)
        return e

    def spawn(self, argv, env=None, cwd=None, log=None):
        out = open(log, "ab") if log else subprocess.DEVNULL
        p = subprocess.Popen(argv, env=env or self.env(), cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(p)
        return p

    def stop(self, p):
        """End one application (its whole process group: browsers fork helpers)."""
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(5)
        if p in self.procs:
            self.procs.remove(p)

    def close(self):
        for p in reversed(list(self.procs)):
            self.stop(p)
        if self.xvfb.poll() is None:
            self.xvfb.terminate()
            try:
                self.xvfb.wait(5)
            except subprocess.TimeoutExpired:
                self.xvfb.kill()
        if self in LIVE:
            LIVE.remove(self)

    # ------------------------------------------------------------------ input and windows
    def xdotool(self, *args, check=True):
        r = subprocess.run(["xdotool", *args], env=self.env(), capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            if check:
                raise RuntimeError(f"xdotool {' '.join(args)}: {r.stderr.strip()}")
            return None
        return r.stdout.strip()

    def windows(self, cls=None, name=None):
        args = ["search", "--onlyvisible"] + (["--class", cls] if cls else ["--name", name])
        out = self.xdotool(*args, check=False)
        return out.split() if out else []

    def wait_window(self, cls=None, name=None, timeout=60):
        found = []

        def ready():
            found[:] = self.windows(cls, name)
            return bool(found)
        self.wait_for(ready, timeout, f"a window of {cls or name}")
        return found[-1]

    def wait_for(self, cond, timeout, what):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return
            time.sleep(0.2)
        raise TimeoutError(f"timed out after {timeout}s waiting for {what}")

    def key(self, *keys):
        self.xdotool("key", "--clearmodifiers", *keys)

    def type(self, text, delay_ms):
        self.xdotool("type", "--clearmodifiers", "--delay", str(delay_ms), text)

    def park_pointer(self):
        self.xdotool("mousemove", str(self.size[0] - 2), str(self.size[1] - 2), check=False)

    # ------------------------------------------------------------------ pixels
    def grab(self):
        w, h = self.size
        r = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "x11grab", "-draw_mouse", "0", "-video_size",
                            f"{w}x{h}", "-i", self.display, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                           capture_output=True, timeout=60)
        if r.returncode != 0 or len(r.stdout) != w * h * 3:
            raise RuntimeError(f"screen grab failed: {r.stderr.decode(errors='replace').strip()}")
        return Image.frombytes("RGB", (w, h), r.stdout)

    def settle(self, timeout=8.0, quiet_area=4000, min_wait=0.3):
        """Wait until two grabs 0.35 s apart differ in at most `quiet_area` px² (a blinking caret
        is allowed); returns the last grab either way."""
        time.sleep(min_wait)
        prev = self.grab()
        end = time.monotonic() + timeout
        while True:
            time.sleep(0.35)
            cur = self.grab()
            box = ImageChops.difference(prev.convert("L"), cur.convert("L")).point(lambda v: 255 if v > 24 else 0).getbbox()
            if box is None or (box[2] - box[0]) * (box[3] - box[1]) <= quiet_area or time.monotonic() > end:
                return cur
            prev = cur


def missing_tools(tools):
    return [t for t in tools if shutil.which(t) is None]
