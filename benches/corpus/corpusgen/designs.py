"""Design systems for the rendered pages: fonts, sizes, themes and component styles, so the
same kind of page looks as different as two companies' intranets do."""

SANS = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Nimbus Sans", "Liberation Sans Narrow"]
SERIF = ["DejaVu Serif", "Liberation Serif", "Noto Serif", "C059"]
MONO = ["DejaVu Sans Mono", "Liberation Mono", "Noto Mono", "Nimbus Mono PS"]

THEMES = {
    # name: (bg, surface, fg, muted, border, accent, stripe, header_bg, header_fg)
    "light": ("#ffffff", "#f6f7f9", "#1d2330", "#5d6678", "#d5d9e0", "#2563eb", "#f3f5f8", "#1f2937", "#f9fafb"),
    "light-warm": ("#fbf7f0", "#ffffff", "#2b2118", "#6f6254", "#e2d6c4", "#b45309", "#f4ecdf", "#7c2d12", "#fff7ed"),
    "light-blue": ("#eef5fc", "#ffffff", "#0f2540", "#4a6280", "#c7d8ea", "#0369a1", "#e3eef9", "#0c4a6e", "#f0f9ff"),
    "light-green": ("#f0f8f1", "#ffffff", "#12301a", "#4d6b53", "#c9e0cd", "#15803d", "#e4f2e6", "#14532d", "#f0fdf4"),
    "dark": ("#16181d", "#1f2229", "#e6e8ec", "#9aa3b2", "#343944", "#60a5fa", "#1b1e24", "#0b0d11", "#e5e7eb"),
    "dark-navy": ("#0f1e33", "#15294a", "#dbe7f7", "#8ea6c6", "#27406a", "#38bdf8", "#122440", "#08162a", "#e0f2fe"),
    "dark-purple": ("#1d1528", "#271c36", "#ece4f7", "#a898c0", "#3d2f52", "#c084fc", "#221932", "#120c1b", "#f3e8ff"),
    "solarized": ("#fdf6e3", "#eee8d5", "#073642", "#586e75", "#d9cfb3", "#268bd2", "#f5eed9", "#073642", "#fdf6e3"),
    "high-contrast": ("#000000", "#0a0a0a", "#ffffff", "#d0d0d0", "#ffffff", "#ffd400", "#111111", "#000000", "#ffffff"),
}

STYLES = ["enterprise", "material", "bootstrap", "classic", "console", "compact"]


def pick_design(rng, kind=None):
    style = kind or rng.choice(STYLES)
    theme = rng.choice(list(THEMES))
    if style == "console":
        body = rng.choice(MONO)
    elif style == "classic":
        body = rng.choice(SERIF + SANS[:2])
    else:
        body = rng.choice(SANS)
    size = rng.choice([11, 12, 13, 13, 14, 14, 15, 16, 16, 18, 20, 22, 24])
    if style == "compact":
        size = min(size, rng.choice([11, 12, 13]))
    return {"style": style, "theme": theme, "font": body, "mono": rng.choice(MONO), "font_px": size,
            "zoom": rng.choice([0.8, 0.9, 1.0, 1.0, 1.0, 1.1, 1.25, 1.5]), "radius": rng.choice([0, 3, 6, 10]),
            "borders": rng.random() < 0.6, "stripes": rng.random() < 0.5, "sidebar": rng.random() < 0.55}


def css(d):
    bg, surface, fg, muted, border, accent, stripe, hbg, hfg = THEMES[d["theme"]]
    shadow = "0 1px 3px rgba(0,0,0,.18)" if d["style"] == "material" else "none"
    cell_border = f"1px solid {border}" if d["borders"] else "none"
    row_line = f"1px solid {border}"
    stripe_rule = f"tbody tr:nth-child(even) td {{ background: {stripe}; }}" if d["stripes"] else ""
    head_font = "'DejaVu Serif', serif" if d["style"] == "classic" else f"'{d['font']}'"
    pad = "3px 6px" if d["style"] == "compact" else "7px 12px"
    return f"""
* {{ box-sizing: border-box; }}
html {{ zoom: {d['zoom']}; }}
body {{ margin: 0; background: {bg}; color: {fg}; font: {d['font_px']}px/1.45 '{d['font']}', sans-serif; }}
a {{ color: {accent}; text-decoration: none; }}
.top {{ background: {hbg}; color: {hfg}; padding: 8px 18px; display: flex; gap: 22px; align-items: center; }}
.top .brand {{ font-weight: bold; font-size: 1.15em; }}
.top .user {{ margin-left: auto; opacity: .9; }}
.wrap {{ display: flex; }}
.side {{ width: 13em; padding: 14px; background: {surface}; border-right: {row_line}; min-height: 100vh; }}
.side div {{ padding: 5px 4px; color: {muted}; }}
.main {{ flex: 1; padding: 16px 22px; min-width: 0; }}
h1 {{ font-family: {head_font}; font-size: 1.55em; margin: .2em 0 .5em; }}
h2 {{ font-family: {head_font}; font-size: 1.2em; margin: .9em 0 .4em; }}
.muted {{ color: {muted}; }}
.card {{ background: {surface}; border: 1px solid {border}; border-radius: {d['radius']}px; box-shadow: {shadow};
         padding: 12px 16px; margin: 0 0 14px; }}
.cards {{ display: flex; gap: 14px; flex-wrap: wrap; }}
.cards .card {{ flex: 1; min-width: 11em; }}
table {{ border-collapse: collapse; width: 100%; background: {surface}; }}
th {{ text-align: left; padding: {pad}; border-bottom: 2px solid {border}; color: {muted}; font-weight: 600; border: {cell_border}; }}
td {{ padding: {pad}; border-bottom: {row_line}; border-left: {cell_border}; border-right: {cell_border}; white-space: nowrap; }}
{stripe_rule}
.kv {{ display: grid; grid-template-columns: max-content 1fr; gap: 6px 22px; }}
.kv .k {{ color: {muted}; }}
pre, code, .mono {{ font-family: '{d['mono']}', monospace; }}
pre {{ background: {surface}; border: 1px solid {border}; border-radius: {d['radius']}px; padding: 10px 14px; margin: 8px 0;
       white-space: pre; overflow: hidden; font-size: .95em; }}
.badge {{ display: inline-block; padding: 0 7px; border-radius: 9px; background: {accent}; color: {bg}; font-size: .85em; }}
.msg {{ padding: 7px 0; border-bottom: {row_line}; }}
.msg .who {{ font-weight: bold; }}
.btn {{ display: inline-block; border: 1px solid {accent}; color: {accent}; padding: 3px 12px; border-radius: {d['radius']}px; }}
.kw {{ color: {accent}; }}
.str {{ color: {'#15803d' if d['theme'].startswith('light') or d['theme'] == 'solarized' else '#86efac'}; }}
.com {{ color: {muted}; font-style: italic; }}
"""


def page_html(d, title, body, page_id, brand=None, user=None, nav_items=None):
    side = ""
    if d["sidebar"] and nav_items:
        side = '<div class="side">' + "".join(f"<div>{n}</div>" for n in nav_items) + "</div>"
    top = ""
    if brand is not None:
        top = f'<div class="top"><span class="brand">{brand}</span>' + (f'<span class="user">{user}</span>' if user else "") + "</div>"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<style>{css(d)}</style></head><body>{top}<div class="wrap">{side}<div class="main">{body}</div></div>
<script src="/__corpus/nav.js" data-page="{page_id}"></script></body></html>"""
