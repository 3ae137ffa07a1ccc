import re
def handle(command):
    match command.split():
        case [action]:
            return action
        case ["go", ("north" | "south") as direction]:
            return direction
        case {"x": x, **rest} if (n := len(rest)) > 0:
            return x, n
        case Point(x=0, y=0):
            return "origin"
        case [1, 2, *others]:
            return others
        case _:
            return None

if (m := re.match(r"(\d+)", "42")) is not None:
    print(m.group(1))
match = 3
case = match + 1
print([y for x in range(5) if (y := x * 2) > 3])
