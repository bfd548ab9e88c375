"""What a run renders: a deterministic plan (from the seed) of browser sessions and desktop
screens, each screen with its own case id and its own seeded random source, so a case's values
do not depend on what else ran or failed."""

import random

from . import pages_data, pages_ops, pages_people, pages_public
from .desktop import TERMINALS

SIZES = [(1280, 720), (1366, 768), (1600, 900), (1920, 1080), (2560, 1440)]
SIZE_WEIGHTS = [2, 2, 2, 3, 2]
TEMPLATES = {**pages_ops.TEMPLATES, **pages_people.TEMPLATES, **pages_data.TEMPLATES}
PUBLIC = pages_public.TEMPLATES
APPS = ["chromium", "firefox", "calc", "mousepad"] + TERMINALS
# share of the screens per application (browsers include their address-bar typing screens)
APP_SHARE = {"chromium": 0.36, "firefox": 0.26, "calc": 0.08, "mousepad": 0.10,
             "xterm": 0.05, "urxvt": 0.05, "lxterminal": 0.05, "xfce4-terminal": 0.05}


def case_rng(seed, case):
    return random.Random(f"{seed}:{case}")


def plan(seed, count):
    """[session]: {"app", "size", "scale", "dark", "screens": [{"case", "kind", "template", "typing"?}]}."""
    r = random.Random(f"plan:{seed}")
    n_app = {a: max(1, round(count * s)) for a, s in APP_SHARE.items()}
    sessions = []
    idx = 0

    def next_case(app, what, size):
        nonlocal idx
        idx += 1
        return f"{idx:04d}_{app}_{what}_{size[0]}x{size[1]}"

    all_templates = list(TEMPLATES)
    tcycle = []
    for app in ("chromium", "firefox"):
        left = n_app[app]
        while left > 0:
            size = r.choices(SIZES, SIZE_WEIGHTS)[0]
            scales = [1.0, 1.0, 1.0, 1.25, 1.5] + ([2.0] if size[0] >= 1920 else []) + ([0.8] if size[0] >= 1600 else [])
            s = {"app": app, "size": size, "scale": r.choice(scales), "dark": r.random() < 0.35, "screens": []}
            for _ in range(min(left, r.randint(5, 9))):
                if r.random() < 0.14:
                    tpl = r.choice(list(PUBLIC))
                else:
                    if not tcycle:  # every template before any repeats
                        tcycle = all_templates[:]
                        r.shuffle(tcycle)
                    tpl = tcycle.pop()
                s["screens"].append({"case": next_case(app, tpl, size), "kind": "page", "template": tpl})
                left -= 1
                if left > 0 and len(s["screens"]) > 1 and r.random() < 0.4:
                    typing = r.choice(["history-prefix", "history-prefix", "new-host", "short-host", "url", "search"])
                    s["screens"].append({"case": next_case(app, "omnibox-typing", size), "kind": "typing", "typing": typing})
                    left -= 1
            sessions.append(s)
    for app in ["calc", "mousepad"] + TERMINALS:
        for _ in range(n_app[app]):
            size = r.choices(SIZES, SIZE_WEIGHTS)[0]
            what = {"calc": "sheet", "mousepad": "editor"}.get(app, "shell")
            sessions.append({"app": app, "size": size, "maximize": r.random() < 0.7,
                             "screens": [{"case": next_case(app, what, size), "kind": "desktop"}]})
    r.shuffle(sessions)  # interleave applications so a partial run still covers them all
    return sessions
