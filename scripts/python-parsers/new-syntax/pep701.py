names = ["a", "b"]
songs = {"x": 1}
print(f"{'\n'.join(names)}")
print(f"{songs["x"]}")
print(f"{f"{f"{1+1}"}"}")
value = 3
print(f"{value!r:>{10}} and {value=}")
print(f"""multi {
    value + 1
} line""")
