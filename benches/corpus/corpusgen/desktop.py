"""The desktop applications: LibreOffice Calc on a flat-ODF spreadsheet, Mousepad (GTK) on a
config file, and four terminals (xterm, rxvt-unicode, LXTerminal, Xfce Terminal) showing a shell
session, each with its own fonts and colour scheme. Each function starts the application on an
XSession, waits for its window and a settled screen, and returns the screenshot."""

import os
from xml.sax.saxutils import escape as xesc

TERMINAL_SCHEMES = [  # (name, background, foreground)
    ("solarized-dark", "#002b36", "#93a1a1"), ("solarized-light", "#fdf6e3", "#586e75"), ("classic", "#000000", "#e5e5e5"),
    ("paper", "#ffffff", "#1a1a1a"), ("green", "#0c140c", "#4ee44e"), ("amber", "#1a1200", "#ffb000"),
    ("nord", "#2e3440", "#d8dee9"), ("gruvbox", "#282828", "#ebdbb2"), ("navy", "#0b1a33", "#cfe3ff"),
]
MONO_FONTS = ["DejaVu Sans Mono", "Liberation Mono", "Noto Mono", "Nimbus Mono PS"]
EDITOR_SCHEMES = ["classic", "cobalt", "kate", "oblivion", "solarized-dark", "solarized-light", "tango"]
CALC_FONTS = ["Liberation Sans", "DejaVu Sans", "Noto Sans", "Liberation Serif", "Noto Serif", "Nimbus Sans"]


def _fods(sheet, rows, font, size_pt, zoom, header_bg, stripe):
    ncols = max(len(r) for r in rows)
    widths = [max(len(str(r[i])) if i < len(r) else 0 for r in rows) for i in range(ncols)]
    cols = "".join(f'<style:style style:name="co{i}" style:family="table-column"><style:table-column-properties '
                   f'style:column-width="{max(0.7, w * size_pt * 0.0085 + 0.25):.2f}in"/></style:style>' for i, w in enumerate(widths))
    text = f'style:font-name="{font}" fo:font-size="{size_pt}pt"'
    styles = (f'<style:style style:name="hd" style:family="table-cell"><style:table-cell-properties fo:background-color="{header_bg}"/>'
              f'<style:text-properties {text} fo:font-weight="bold"/></style:style>'
              f'<style:style style:name="c0" style:family="table-cell"><style:text-properties {text}/></style:style>'
              f'<style:style style:name="c1" style:family="table-cell"><style:table-cell-properties fo:background-color="{stripe}"/>'
              f'<style:text-properties {text}/></style:style>'
              f'<style:style style:name="ro" style:family="table-row"><style:table-row-properties style:row-height="{size_pt * 0.02 + 0.06:.2f}in" '
              f'style:use-optimal-row-height="false"/></style:style>')
    body = "".join(f'<table:table-column table:style-name="co{i}"/>' for i in range(ncols))
    for n, row in enumerate(rows):
        st = "hd" if n == 0 else ("c1" if stripe and n % 2 == 0 else "c0")
        cells = "".join(f'<table:table-cell table:style-name="{st}" office:value-type="string"><text:p>{xesc(str(c))}</text:p>'
                        f'</table:table-cell>' for c in row)
        body += f'<table:table-row table:style-name="ro">{cells}</table:table-row>'
    zoom_item = (f'<config:config-item config:name="ZoomType" config:type="short">0</config:config-item>'
                 f'<config:config-item config:name="ZoomValue" config:type="int">{zoom}</config:config-item>')
    settings = (f'<office:settings><config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed '
                f'config:name="Views"><config:config-item-map-entry><config:config-item config:name="ViewId" config:type="string">'
                f'view1</config:config-item><config:config-item-map-named config:name="Tables"><config:config-item-map-entry '
                f'config:name="{xesc(sheet)}">{zoom_item}</config:config-item-map-entry></config:config-item-map-named>'
                f'{zoom_item}<config:config-item config:name="ActiveTable" config:type="string">{xesc(sheet)}</config:config-item>'
                f'</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set></office:settings>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
            'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3" '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            f'{settings}<office:automatic-styles>{cols}{styles}</office:automatic-styles><office:body><office:spreadsheet>'
            f'<table:table table:name="{xesc(sheet)}">{body}</table:table></office:spreadsheet></office:body></office:document>')


LO_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="ShowTipOfTheDay" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>7.4</value></prop></item>
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="LastTimeDonateShown" oor:op="fuse"><value>9999999999</value></prop></item>
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="LastTimeGetInvolvedShown" oor:op="fuse"><value>9999999999</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="SymbolStyle" oor:op="fuse"><value>colibre</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/SpellChecking"><prop oor:name="IsSpellAuto" oor:op="fuse"><value>{spell}</value></prop></item>
</oor:items>
"""


def calc(xs, workdir, sheet, rows, r):
    """Open the rows in LibreOffice Calc; returns (image, metadata)."""
    font, size = r.choice(CALC_FONTS), r.choice([9, 10, 10, 11, 12, 14, 16])
    zoom = r.choice([80, 100, 100, 120, 140, 170, 200])
    header_bg, stripe = r.choice([("#dde8f5", "#f4f8fc"), ("#e8e8e8", ""), ("#ffe7b3", "#fff8e6"), ("#d9f2d9", "")])
    doc = os.path.join(workdir, f"{sheet.lower()}-export.fods")
    with open(doc, "w") as f:
        f.write(_fods(sheet, rows, font, size, zoom, header_bg, stripe))
    prof = os.path.join(workdir, "lo-profile")
    os.makedirs(os.path.join(prof, "user"), exist_ok=True)
    with open(os.path.join(prof, "user", "registrymodifications.xcu"), "w") as f:
        f.write(LO_REGISTRY.replace("{spell}", "true" if r.random() < 0.5 else "false"))
    env = xs.env(SAL_USE_VCLPLUGIN=r.choice(["gtk3", "gen"]), GTK_THEME=r.choice(["Adwaita", "Adwaita", "Adwaita:dark"]))
    p = xs.spawn(["soffice", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                  f"-env:UserInstallation=file://{prof}", doc], env=env, log=os.path.join(workdir, "soffice.log"))
    try:
        xs.wait_window(name=os.path.basename(doc), timeout=120)
        xs.park_pointer()
        img = xs.settle(timeout=15, min_wait=2.0)
    finally:
        xs.stop(p)
    return img, {"font": font, "font_pt": size, "zoom_percent": zoom, "vcl": env["SAL_USE_VCLPLUGIN"], "gtk_theme": env["GTK_THEME"]}


def mousepad(xs, workdir, name, text, r):
    folder = os.path.join(workdir, "home", r.choice(["dana", "ops", "deploy", "kim"]), r.choice(["billing-api", "infra", "platform", "web"]))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(text)
    font, size = r.choice(MONO_FONTS), r.choice([9, 10, 11, 12, 13, 14, 16, 18])
    scheme = r.choice(EDITOR_SCHEMES)
    cfg = os.path.join(workdir, "mousepad-config")
    os.makedirs(os.path.join(cfg, "glib-2.0", "settings"), exist_ok=True)
    with open(os.path.join(cfg, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write("[org/xfce/mousepad/preferences/view]\n"
                f"font-name='{font} {size}'\nuse-default-monospace-font=false\ncolor-scheme='{scheme}'\n"
                f"show-line-numbers={'true' if r.random() < 0.6 else 'false'}\nhighlight-current-line={'true' if r.random() < 0.4 else 'false'}\n"
                "[org/xfce/mousepad/preferences/window]\n"
                f"statusbar-visible={'true' if r.random() < 0.7 else 'false'}\n")
    theme = "Adwaita:dark" if scheme in ("cobalt", "oblivion", "solarized-dark") else "Adwaita"
    env = xs.env(GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=cfg, GTK_THEME=theme)
    p = xs.spawn(["mousepad", path], env=env, log=os.path.join(workdir, "mousepad.log"))
    try:
        xs.wait_window(name="Mousepad", timeout=60)
        xs.park_pointer()
        img = xs.settle(timeout=10, min_wait=1.0)
    finally:
        xs.stop(p)
    return img, {"font": font, "font_pt": size, "scheme": scheme, "gtk_theme": theme}


TERMINALS = ["xterm", "urxvt", "lxterminal", "xfce4-terminal"]


def terminal(xs, workdir, app, ansi_text, title, r):
    tpath = os.path.join(workdir, "session.txt")
    with open(tpath, "w") as f:
        f.write(ansi_text)
    scheme, bg, fg = r.choice(TERMINAL_SCHEMES)
    font, size = r.choice(MONO_FONTS), r.choice([10, 11, 12, 13, 14, 16, 18, 20])
    show = f"cat '{tpath}'; exec sleep 3600"
    env = xs.env()
    if app == "xterm":
        argv = ["xterm", "-fa", font, "-fs", str(size), "-bg", bg, "-fg", fg, "-T", title, "-geometry", "140x45",
                "-e", "sh", "-c", show]
        cls = "xterm"
    elif app == "urxvt":
        argv = ["urxvt", "-fn", f"xft:{font}:pixelsize={int(size * 1.33)}", "-bg", bg, "-fg", fg, "-title", title,
                "-geometry", "140x45", "+sb", "-e", "sh", "-c", show]
        cls = "URxvt"
    elif app == "lxterminal":
        cfg = os.path.join(workdir, "lx-config")
        os.makedirs(os.path.join(cfg, "lxterminal"), exist_ok=True)
        with open(os.path.join(cfg, "lxterminal", "lxterminal.conf"), "w") as f:
            f.write(f"[general]\nfontname={font} {size}\nbgcolor={bg}\nfgcolor={fg}\nhidemenubar={'true' if r.random() < 0.5 else 'false'}\n"
                    "hidescrollbar=false\ncursorblinks=false\n")
        env = xs.env(XDG_CONFIG_HOME=cfg)
        argv = ["lxterminal", "-t", title, "-e", "sh", "-c", show]
        cls = "lxterminal"
    else:
        argv = ["xfce4-terminal", "--disable-server", f"--font={font} {size}", f"--color-bg={bg}", f"--color-text={fg}",
                "--hide-menubar" if r.random() < 0.5 else "--show-menubar", "-T", title, "-x", "sh", "-c", show]
        cls = "xfce4-terminal"
    p = xs.spawn(argv, env=env, log=os.path.join(workdir, f"{app}.log"))
    try:
        xs.wait_window(cls=cls, timeout=60)
        xs.park_pointer()
        img = xs.settle(timeout=10, min_wait=1.0)
    finally:
        xs.stop(p)
    return img, {"font": font, "font_pt": size, "scheme": scheme}
