"""Snippets for ``test_instrument.py``: one per construct the recorder must get right.

SAME: name -> (source, record options); the tracer and the probes must agree on everything.
DIFFERENT: name -> (source, the tracer's lines, the probes' lines, why they differ).
"""

from __future__ import annotations

from typing import Any

SAME: dict[str, tuple[str, dict[str, Any]]] = {}


def same(name: str, source: str, **options: Any) -> None:
    SAME[name] = (source, options)


same("assignments", "a = 1\nb = a + 1; c = b * 2\na += c\nx: int\ny: float = 2.5\n")
same(
    "multi-line statement with calls on its continuation lines",
    """
    def f(a, b=0):
        return a + b
    x = f(1,
          f(2,
            3))
    y = [f(j) for j in range(3)]
    z = (lambda q: f(q, q))(4)
    """,
)
same(
    "for: rounds, the exhausted header, else, break, continue, nested",
    """
    total = 0
    for i in range(3):
        total += i
    for i in []:
        total = -1
    else:
        e = 1
    for j in range(5):
        if j == 1:
            continue
        if j == 3:
            break
        total += j
    else:
        e = 2
    for a, (b, c) in [(1, (2, 3)), (4, (5, 6))]:
        for k in range(a):
            total += k
    d = {"x": 1, "y": 2}
    for key, value in d.items():
        total += value
    for i in range(2): total += i
    """,
)
same(
    "while: every test, else, break, continue, while True, constant tests",
    """
    n = 0
    while n < 3:
        n += 1
    else:
        e = 1
    while True:
        n -= 1
        if n == 1:
            continue
        if n <= 0:
            break
    while False:
        n = 9
    while 0:
        n = 8
    else:
        e = 2
    while (m := n + 1) < 3:
        n = m
    """,
)
same(
    "if, elif, else, constant and walrus tests, one-line bodies",
    """
    def sign(x):
        if x > 0:
            return 1
        elif x < 0:
            return -1
        else:
            return 0
    s = [sign(-2), sign(0), sign(3)]
    if True:
        a = 1
    if False:
        a = 2
    if 0:
        a = 3
    else:
        a = 4
    if (n := len(s)) > 2: b = n
    if not n: b = 0
    else: b = -1
    def f(c):
        if c:
            a = 1
    f(0)
    f(1)
    """,
)
same(
    "with: entry and exit, exceptions, return, break and continue inside",
    """
    class CM:
        def __init__(self, swallow=False):
            self.swallow = swallow
        def __enter__(self):
            return 5
        def __exit__(self, *exc):
            return self.swallow
    with CM() as c:
        d = c + 1
    with CM(True) as c:
        raise KeyError
    try:
        with CM() as c:
            raise ValueError
    except ValueError:
        e = 1
    def h():
        with CM() as c:
            return c * 2
    r = h()
    for i in range(3):
        with CM() as c:
            if i == 1:
                continue
            if i == 2:
                break
        k = i
    with CM() as a, CM() as b:
        s = a + b
    with CM() as c: one = c
    with CM() as a:
        with CM() as b:
            s = 2
    """,
)
same(
    "with: a manager whose __enter__ or __exit__ raises, or is none at all",
    """
    class Bad:
        def __enter__(self):
            raise OSError("no")
        def __exit__(self, *exc):
            return False
    class BadExit:
        def __enter__(self):
            return 1
        def __exit__(self, *exc):
            raise OSError("exit")
    try:
        with Bad() as b:
            x = 1
    except OSError:
        y = 1
    try:
        with BadExit() as b:
            x = 2
    except OSError:
        y = 2
    try:
        with 3:
            x = 3
    except TypeError as e:
        y = str(e)
    class NoExit:
        def __enter__(self):
            return 1
    try:
        with NoExit():
            x = 4
    except TypeError as e:
        y = str(e)
    """,
)
same(
    "try: handlers tried in turn, none matching, bare except, else, finally",
    """
    def f(kind):
        try:
            raise kind("x")
        except ValueError:
            a = 1
        except KeyError:
            a = 2
        except TypeError as e:
            a = 3
        else:
            a = 4
        finally:
            b = 5
        return a
    r = f(TypeError)
    r = f(ValueError)
    try:
        f(OSError)
    except OSError as e:
        c = e
    try:
        x = 1
    except:
        x = 2
    else:
        x = 3
    try:
        x = 1 / 0
    except:
        x = 4
    def g():
        try:
            return 1
        finally:
            y = 2
    g()
    def reraise():
        try:
            raise ValueError
        except ValueError:
            raise
    try:
        reraise()
    except ValueError as e:
        pass
    try:
        try:
            raise KeyError
        except KeyError as inner:
            raise ValueError from inner
    except ValueError:
        z = 1
    try: q = 1 / 0
    except ZeroDivisionError: q = 0
    """,
)
same(
    "try/finally on the way out of an exception, exception in a handler",
    """
    def f():
        try:
            x = 1
            raise ValueError
        finally:
            y = 2
            z = 3
    def g():
        try:
            raise ValueError
        except ValueError as e:
            raise KeyError
    try:
        f()
    except ValueError:
        a = 1
    try:
        g()
    except KeyError:
        b = 1
    """,
)
same(
    "def and class lines, docstrings, methods, nested classes, one-liners",
    '''
    """The module's docstring."""
    def f(a, b=2, *args, c=3, **kw):
        """Add."""
        return a + b + c + len(args) + len(kw)
    class A:
        """A class."""
        x = 1
        def m(self, y):
            self.y = y
            return self
        class B:
            z: int = 2
    obj = A().m(f(1))
    def g(a): return a * 2
    class C: w = 3
    h = g(C.w)
    def k():
        class Local:
            v = 1
        return Local.v
    k()
    def doc_only(a):
        """Nothing but a docstring."""
    def global_only():
        global h
    def annotation_only():
        q: int
    doc_only(1); global_only(); annotation_only()
    ''',
)
same(
    "return: early, in loops, with a walrus, of a method call, the order of calls",
    """
    def first_even(xs):
        for x in xs:
            if x % 2 == 0:
                return x
        return None
    def walrus(v):
        return (w := v * 2) + w
    def copy(xs):
        return xs.copy()
    def both(a, b):
        return first_even(a), first_even(b)
    r = both([1, 3, 4], [5])
    s = walrus(3)
    t = copy([1, 2])
    def bare():
        return
    bare()
    def semicolons(a):
        a += 1; return a
    semicolons(1)
    """,
)
same(
    "break, continue, pass, global, nonlocal, del, walrus, augmented assignment",
    """
    g = 1
    def bump():
        global g
        g += 1
        pass
    bump()
    def counter():
        n = 0
        def add():
            nonlocal n
            n += 1
            return n
        add(); add()
        return n
    c = counter()
    xs = [1, 2]
    xs += [3]
    xs[0] = 9
    del xs[1]
    y = 5
    del y
    def local_del(p):
        q = p
        del q
        del p
        return 0
    local_del(1)
    if (z := len(xs)) > 1:
        w = z
    for i in range(3):
        if i == 1: continue
        if i == 2: break
        pass
    """,
)
same(
    "names unbound where their line is recorded",
    """
    x = "global"
    def f():
        for x in []:
            pass
        return 0
    f()
    def g():
        try:
            raise ValueError
        except ValueError as x:
            pass
        return 1
    g()
    def h(p):
        del p
        p = 2
        return p
    h(1)
    s = __doc__
    t = __name__.upper()
    """,
)
same(
    "generators: yield statements, send, a generator expression, close",
    """
    def gen(n):
        for i in range(n):
            y = yield i
        last = 1
    total = 0
    for v in gen(3):
        total += v
    g = gen(2)
    first = next(g)
    second = g.send(10)
    squares = sum(x * x for x in range(4))
    def closing():
        try:
            yield 1
        finally:
            done = True
    c = closing()
    next(c)
    c.close()
    def pairs():
        yield 1
        yield
    both = list(pairs())
    """,
)
same(
    "recursion, and an exception from deep inside",
    """
    def fact(n):
        if n <= 1:
            return 1
        return n * fact(n - 1)
    f = fact(4)
    def deep(n):
        if n == 0:
            raise KeyError("bottom")
        return deep(n - 1)
    try:
        deep(3)
    except KeyError:
        caught = True
    """,
)
same(
    "an exception nobody catches: the error line is the innermost lesson line",
    """
    def inner(x):
        y = x + 1
        return y / 0
    def outer():
        return inner(1) + 1
    a = 1
    b = outer()
    c = 3
    """,
)
same(
    "lesson functions called from elsewhere: sorted, map, a lambda, a comprehension",
    """
    import functools
    def key(v):
        k = -v
        return k
    s = sorted([3, 1, 2], key=key)
    m = list(map(key, [1, 2]))
    r = functools.reduce(lambda a, b: a + key(b), [1, 2, 3], 0)
    c = {v: key(v) for v in range(2)}
    """,
)
same(
    "untraced functions: nothing inside them records, the caller's line does",
    """
    def helper(x):
        y = x * 2
        return y
    def timed(n):  # untraced
        total = 0
        for i in range(n):
            total += helper(i)
        return total
    def nested():  # untraced
        return timed(2) + helper(1)
    def failing():  # untraced
        helper(1)
        raise ValueError("no")
    def make():  # untraced
        def made(v):
            w = v + 1
            return w
        return made
    a = timed(3)
    b = nested()
    try:
        failing()
    except ValueError:
        c = helper(5)
    d = make()(1)
    """,
)
same(
    "output: print in functions and loops, writes to sys.stdout",
    # (not os.write: a thread tags what reaches the file descriptors, whenever it reads it)
    """
    import sys
    def say(x):
        print("x is", x)
        return x
    for i in range(3):
        say(i)
        sys.stdout.write(f"w{i}\\n")
    print("end")
    """,
)
same(
    "values: numbers, strings, arrays, lists, big ints, objects, functions, modules",
    """
    import math
    import numpy as np
    a = np.arange(6.0).reshape(2, 3)
    a[0, 0] = 7
    b = a.sum()
    c = [1, [2.5, 3]]
    c.append(4)
    d = 10 ** 400
    e = "text" * 100
    f = None; g = True; h = 2 + 3j
    class O: pass
    o = O()
    fn = math.sqrt
    mod = math
    big = np.zeros(20_000)
    nan = float("nan")
    """,
)
same(
    "match: the subject line, each case tried, no case matching",
    """
    def m(v):
        match v:
            case 1:
                r = "one"
            case [a, b]:
                r = "pair"
            case _ if v == 9:
                r = "nine"
        return 0
    for v in (1, [1, 2], 9, 5):
        m(v)
    match 3:
        case 3: r = 3
    """,
)
same(
    "a class body reading a name of the function around it",
    """
    v = "module"
    def f():
        v = [1]
        class A:
            w = v.copy()
        return A.w
    f()
    """,
)
same(
    "the lesson's own future import and docstring stay first",
    '''
    """Docstring."""
    from __future__ import annotations
    x: int = 1
    ''',
)
same(
    "semicolons around jumps",
    """
    for i in range(3):
        a = i; b = a
        if b: c = b; break
    def f(x):
        y = x; return y
    f(1)
    """,
)
same(
    "sys.exit with an error code",
    "import sys\na = 1\nsys.exit(3)\nb = 2\n",
)
same(
    "exceptions in odd places: a failing iterator, assert, with in a function, jumps in finally",
    """
    class CM:
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
    def gen_raise():
        yield 1
        raise ValueError("iter")
    try:
        for v in gen_raise():
            w = v
    except ValueError:
        x = 1
    def f():
        with CM():
            raise KeyError
    try:
        f()
    except KeyError:
        y = 1
    try:
        assert 1 == 2, "no"
    except AssertionError:
        z = 1
    assert z == 1
    def nest():
        for i in range(3):
            with CM():
                try:
                    if i == 1:
                        return i
                finally:
                    q = i
    r = nest()
    def suspended():
        with CM():
            yield 1
            yield 2
    s = suspended()
    next(s)
    del s
    a, *b = [1, 2, 3]
    c = 1 < a <= 2 if b else 0
    for i in range(2):
        try:
            continue
        finally:
            k = i
    """,
)
same(
    "one-line with: an exception in its body leaves no exit event",
    """
    class CM:
        def __init__(self, s=False):
            self.s = s
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.s
    try:
        with CM(): raise KeyError
    except KeyError:
        pass
    with CM(True): raise KeyError
    def f():
        raise KeyError
    with CM(True): f()
    with CM(True) as c: d = 1
    with CM(True) as c: d = 1; raise KeyError
    x = 1
    """,
)
same(
    "a class body with loops and handlers, global at module level, star arguments",
    """
    class K:
        total = 0
        for i in range(3):
            total += i
        if total > 2:
            big = True
        else:
            big = False
        try:
            bad = 1 / 0
        except ZeroDivisionError:
            bad = None
        del i
    global gx
    gx = 1
    def star(*args, **kwargs):
        return len(args)
    star(1, 2)
    x = 0
    for x in range(2): pass
    else: x = 5
    del x
    """,
)
same(
    "private names in a class body and its methods",
    """
    class A:
        __x = 1
        __y = __x + 1
        def m(self):
            self.__z = 3
            __w = self.__z
            return __w
    a = A().m()
    """,
)
same(
    "except*: each clause that runs",
    """
    try:
        raise ExceptionGroup("g", [ValueError(1), KeyError(2)])
    except* ValueError as e:
        a = 1
    except* KeyError as e:
        b = 2
    c = 3
    try:
        x = 1
    except* ValueError:
        pass
    """,
)

_LOOP = """
    def step(w):
        g = 2 * w
        return g
    w = 1.0
    for iteration in range(1, 8):
        g = step(w)
        w = w - 0.1 * g
        print(iteration)
    done = True
    """
for _capacity in (2, 5, 10, 17, 24, 40):
    same(
        f"capacity {_capacity}: iterations past it kept as summaries",
        _LOOP,
        iteration="iteration",
        max_events=_capacity,
    )
    same(f"capacity {_capacity}: no training loop", _LOOP, max_events=_capacity)
same(
    "capacity: the training loop inside a function, with long iterations",
    """
    def train():
        w = 0.0
        for iteration in range(6):
            for k in range(5):
                w += k
            print(w)
        return w
    w = train()
    """,
    iteration="iteration",
    max_events=12,
)
_MIXED = """
    import numpy as np
    w = 0
    for iteration in range(1, 9):
        w = w + 0.5
        if iteration % 3 == 0:
            w = None if iteration == 3 else np.array([w, 1.0])
            w = 2.0 if iteration == 3 else w
        b, c = iteration, w
    done = w
    """
# One variable holding ints, floats, None and arrays in turn (floats and the rest are
# kept apart while recording, merged in event order when the timeline is built).
for _capacity in (None, 9, 20):
    same(
        f"mixed kinds in one variable, capacity {_capacity}",
        _MIXED,
        iteration="iteration",
        **({"max_events": _capacity} if _capacity else {}),
    )
same("output past its limit", "for i in range(50):\n    print('x' * 10)\n", max_output=55)


DIFFERENT: dict[str, tuple[str, list[int], list[int], str]] = {
    "decorators": (
        """
        def deco(fn):
            return fn
        @deco
        @deco
        def f():
            return 1
        x = f()
        """,
        [2, 4, 5, 6, 3, 5, 3, 4, 6, 7, 8],
        [2, 3, 3, 6, 7, 8],
        "The tracer saw Python's line events for the decorator lines (not statements) and the "
        "def line twice; the probes record the def statement once, after its decorators ran.",
    ),
    "a multi-line def header with defaults": (
        """
        def f(
            a=1,
            b=len("ab"),
        ):
            return a + b
        x = f()
        """,
        [3, 4, 2, 6, 7],
        [2, 6, 7],
        "The tracer recorded the default value's line (not a statement) before the def line.",
    ),
    "a one-line while": (
        "n = 0\nwhile n < 3: n += 1\nm = n\n",
        [1, 2, 2, 2, 3],
        [1, 2, 2, 2, 2, 3],
        "Like a multi-line while, the probes record the header at each test (3 rounds, 4 "
        "tests); the tracer merged the last test into the last round (CPython compiles the "
        "test twice, and a one-line loop has no line change between them).",
    ),
    "sys.settrace(None)": (
        "import sys\na = 1\nsys.settrace(None)\nb = 2\n",
        [1, 2],
        [1, 2, 3, 4],
        "Nothing traces: turning tracing off no longer ends the timeline.",
    ),
    "a generator that returns a value": (
        """
        def gen():
            yield 1
            return 2
        for v in gen():
            w = v
        end = 1
        """,
        [2, 3, 5, 6, 4, 7],
        [2, 3, 5, 6, 4, 5, 7],
        "Its StopIteration reached the tracer as an exception at the loop header, which "
        "dropped the header's last run; the probes record it, as for any other iterator.",
    ),
    "yield from": (
        """
        def inner():
            yield 1
            z = 2
        def outer():
            x = yield from inner()
            y = 2
        r = list(outer())
        """,
        [2, 5, 3, 6, 4, 7, 8],
        [2, 5, 3, 4, 6, 7, 8],
        "The tracer recorded line 6 when its frame first suspended (the inner generator's "
        "yield); the probes record a ``yield from`` statement when it finishes.",
    ),
    "a decorated # untraced function": (
        """
        def deco(fn):
            return fn
        @deco
        def quiet():  # untraced
            z = 1
            return z
        q = quiet()
        """,
        [2, 4, 5, 3, 4, 5, 6, 7, 8],
        [2, 3, 5, 8],
        "The tracer matched ``# untraced`` against the code's first line, a decorator's, "
        "and so traced a decorated function; the probes honour the mark.",
    ),
    "a generator function marked # untraced": (
        """
        def helper():
            x = 1
            return x
        def gen():  # untraced
            yield helper()
            yield 2
        for v in gen():
            w = v
        """,
        [2, 5, 8, 9, 8, 9, 8],
        [2, 5, 3, 4, 8, 9, 8, 9, 8],
        "Its own lines record nothing either way; the lesson functions it calls record with "
        "the probes (turning them off across its pauses would leave them off while the "
        "generator waits, unfinished).",
    ),
    "two yields on one line": (
        """
        def g():
            yield 1; yield 2
            z = 3
        r = list(g())
        """,
        [2, 3, 4, 5],
        [2, 3, 3, 4, 5],
        "Each pause is an event with the probes; the tracer lost the line's second pause (its "
        "frame came back mid-line with nothing pending).",
    ),
}
