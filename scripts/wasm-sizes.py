#!/usr/bin/env python3
"""Sizes of a wasm file's functions and data, grouped by crate or module path.

    scripts/wasm-sizes.py FILE.wasm [--by crate|module|function] [--top N] [--filter TEXT]
    scripts/wasm-sizes.py FILE.wasm --fmt-budget BYTES

--fmt-budget lists the functions of the formatting machinery (`core::fmt`, `alloc::fmt`, the
integer writers `<u64>::_fmt`, every `Display`/`Debug`/`Write` impl and `ToString`) and fails (exit 1)
when their code is larger than BYTES: scripts/fmt-gate.sh, docs/size.md.

Reads the code section (each function body's size) and the "name" custom section (function
names, as wasm-bindgen leaves them when the file is built without stripping). Names are
Rust v0 / legacy mangled or already demangled; the group is the first path segment (crate) or
the first two (module). Used to see what a change costs in the release bundle.
"""
import sys, re, collections

def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i

def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]; i += 1
        size, i = leb(b, i)
        yield sid, b[i:i+size]
        i += size

def main():
    args = sys.argv[1:]
    path = args[0]
    by = args[args.index('--by')+1] if '--by' in args else 'crate'
    top = int(args[args.index('--top')+1]) if '--top' in args else 40
    flt = args[args.index('--filter')+1] if '--filter' in args else None
    b = open(path, 'rb').read()
    imports = 0; bodies = []; names = {}; data = 0; custom = 0
    for sid, sec in sections(b):
        if sid == 2:
            n, i = leb(sec, 0)
            for _ in range(n):
                l, i = leb(sec, i); i += l
                l, i = leb(sec, i); i += l
                kind = sec[i]; i += 1
                if kind == 0: _, i = leb(sec, i); imports += 1
                elif kind == 1: i += 1; fl = sec[i]; i += 1; _, i = leb(sec, i); i = leb(sec, i)[1] if fl & 1 else i
                elif kind == 2: fl = sec[i]; i += 1; _, i = leb(sec, i); i = leb(sec, i)[1] if fl & 1 else i
                elif kind == 3: i += 2
                else: i += 2
        elif sid == 10:
            n, i = leb(sec, 0)
            for _ in range(n):
                size, j = leb(sec, i)
                bodies.append(size + (j - i)); i = j + size
        elif sid == 11:
            data += len(sec)
        elif sid == 0:
            l, i = leb(sec, 0); name = sec[i:i+l].decode(); i += l
            if name == 'name':
                while i < len(sec):
                    sub = sec[i]; i += 1
                    size, i = leb(sec, i); end = i + size
                    if sub == 1:
                        n, j = leb(sec, i)
                        for _ in range(n):
                            idx, j = leb(sec, j); l, j = leb(sec, j)
                            names[idx] = sec[j:j+l].decode('utf-8', 'replace'); j += l
                    i = end
            else:
                custom += len(sec)
    if '--fmt-budget' in args:
        return fmt_budget(bodies, names, imports, int(args[args.index('--fmt-budget')+1]))
    groups = collections.Counter(); counts = collections.Counter()
    for k, size in enumerate(bodies):
        name = names.get(imports + k, '?')
        name = re.sub(r'^_ZN|^_R', '', name)
        parts = [p for p in re.split(r'::|\$|\.\.', owner(demangle(name))) if p]
        if by == 'function':
            key = re.sub(r'\[[0-9a-f]{1,16}\]', '', demangle(name))[:150]
        else:
            key = '::'.join(parts[:2 if by == 'module' else 1]) if parts else '?'
        if flt and flt not in name and flt not in key: continue
        groups[key] += size; counts[key] += 1
    total = sum(bodies)
    print(f'code {total} bytes in {len(bodies)} functions; data {data}; other custom {custom}')
    for key, size in groups.most_common(top):
        print(f'{size:9d} {counts[key]:5d}  {key}')

FMT = re.compile(r'core::fmt|alloc::fmt|>::_fmt$|::fmt::num::|alloc::string::ToString')

def fmt_budget(bodies, names, imports, budget):
    found = []
    for k, size in enumerate(bodies):
        name = re.sub(r'\[[0-9a-f]{1,16}\]', '', demangle(re.sub(r'^_ZN|^_R', '', names.get(imports + k, '?'))))
        if FMT.search(name):
            found.append((size, name))
    total = sum(size for size, _ in found)
    for size, name in sorted(found, reverse=True):
        print(f'{size:7d}  {name[:150]}')
    verdict = 'within' if total <= budget else 'OVER'
    print(f'fmt: {total} bytes of formatting code in {len(found)} functions ({verdict} the budget of {budget})')
    return 0 if total <= budget else 1

def demangle(name):
    # legacy: 3foo3bar17h<hash>E -> foo::bar
    out = []; i = 0
    if re.match(r'^\d', name):
        while i < len(name) and name[i].isdigit():
            j = i
            while name[j].isdigit(): j += 1
            n = int(name[i:j]); out.append(name[j:j+n]); i = j + n
        return '::'.join(p for p in out if not re.match(r'^h[0-9a-f]{16}$', p))
    name = re.sub(r'^<', '', name)
    return name

PRIMITIVES = {'str', 'char', 'bool', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize',
              'i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'f32', 'f64'}

def owner(name):
    """The path a function is grouped by: v0 names as wasm-bindgen leaves them carry crate
    disambiguators (`core[1b80778acbf7b3a4]::…`), dropped here; an impl (`<X as T>::f`,
    `<(A, B) as T>::f`, `<&str>::f`) goes with the first path of its Self type, and the
    inherent methods of primitives (`<str>::parse`) with core."""
    name = re.sub(r'\[[0-9a-f]{1,16}\]', '', name)
    name = re.sub(r'^(?:[<(&*\[ ]|mut |const |dyn )+', '', name)
    head = re.match(r'[A-Za-z_][A-Za-z0-9_]*', name)
    if head and head.group(0) in PRIMITIVES:
        return 'core::' + head.group(0)
    return name

if __name__ == '__main__':
    sys.exit(main())
