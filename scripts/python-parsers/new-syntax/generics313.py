class Box[T = int]:
    pass
def f[*Ts = *tuple[int, ...]](): pass
type A[**P = [int, str]] = Callable[P, int]
x: int = 1
print(rf"{x}\d", Rb"\x00", u"unicode", BR"raw")
numbers = 1_000_000 + 0x_ff + 0o17 + 0b1010 + 1e-3j
ellipsis = ...
del x
nonlocal_test = None
assert numbers, "msg"
