def tabs():
	if True:
		x = 1 + \
			2
		return x

value = (1,
	2)
s = "a" \
    "b"
x = 1; y = 2; z = x if y else 3
with (open("a") as f,
      open("b") as g):
    pass
print(*[1], **{})
global_ = lambda *a, **k: (a, k)
