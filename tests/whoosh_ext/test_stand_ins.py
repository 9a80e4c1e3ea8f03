"""`ctsearch.whoosh_ext.imports` (LazyModule, stand_in): stand-ins serve a library's imports,
then the real modules take over."""

from __future__ import annotations

import gc
import subprocess
import sys

from ctsearch.gcpause import paused_gc
from ctsearch.whoosh_ext.imports import LazyModule, lazy_function, stand_in


def test_a_stand_in_loads_the_real_module_on_first_use_and_keeps_its_presets():
    stub = stand_in("colorsys", "rgb_to_hsv", answer=42)
    assert isinstance(stub, LazyModule)
    assert stub.answer == 42
    assert stub.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)  # the lazy function
    assert stub.hsv_to_rgb(0.0, 1.0, 1.0) == (1.0, 0.0, 0.0)  # from the real module


def test_a_stand_in_does_not_load_anything_for_dunder_probes():
    code = (
        "import sys\n"
        "from ctsearch.whoosh_ext.imports import stand_in\n"
        "stub = stand_in('colorsys')\n"
        "assert not hasattr(stub, '__path__') and not hasattr(stub, '__file__')\n"
        "assert 'colorsys' not in sys.modules\n"
        "assert stub.rgb_to_yiq and 'colorsys' in sys.modules\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_lazy_function_imports_on_first_call_only():
    code = (
        "import sys\n"
        "from ctsearch.whoosh_ext.imports import lazy_function\n"
        "f = lazy_function('colorsys', 'rgb_to_yiq')\n"
        "assert f.__name__ == 'rgb_to_yiq' and 'colorsys' not in sys.modules\n"
        "assert f(0.0, 0.0, 0.0) == (0.0, 0.0, 0.0) and 'colorsys' in sys.modules\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_import_with_stand_ins_serves_only_during_the_import_then_steps_aside(tmp_path):
    (tmp_path / "lib_under_test.py").write_text(
        "import colorsys\nfrom wave import open as wave_open\nSEEN = colorsys\n"
    )
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from ctsearch.whoosh_ext.imports import import_with_stand_ins, stand_in\n"
        "stubs = {'colorsys': stand_in('colorsys'), 'wave': stand_in('wave', 'open')}\n"
        "assert import_with_stand_ins(['lib_under_test'], stubs)\n"
        "import lib_under_test as lib\n"
        "assert lib.SEEN is stubs['colorsys']\n"
        "assert 'colorsys' not in sys.modules and 'wave' not in sys.modules\n"
        "import colorsys\n"
        "assert colorsys is not stubs['colorsys'] and colorsys.rgb_to_hsv\n"
        "assert lib.SEEN.hls_to_rgb is colorsys.hls_to_rgb\n"
        "assert not import_with_stand_ins(['lib_under_test'], stubs)  # already imported\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_a_stand_in_used_while_still_standing_in_gives_way_to_the_real_module(tmp_path):
    (tmp_path / "eager_lib.py").write_text("import colorsys\nX = colorsys.rgb_to_hsv\n")
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from ctsearch.whoosh_ext.imports import import_with_stand_ins, stand_in\n"
        "stub = stand_in('colorsys')\n"
        "import_with_stand_ins(['eager_lib'], {'colorsys': stub})\n"
        "import eager_lib, colorsys\n"
        "assert eager_lib.X is colorsys.rgb_to_hsv and sys.modules['colorsys'] is colorsys\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_paused_gc_restores_the_collector_state():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: stays off
    finally:
        gc.enable()


def test_lazy_function_reports_its_target():
    f = lazy_function("json", "dumps")
    assert "json.dumps" in (f.__doc__ or "") and f([1]) == "[1]"
