type Point = tuple[float, float]
type ListOrSet[T] = list[T] | set[T]

class Stack[T]:
    def __init__(self) -> None:
        self.items: list[T] = []

    def push[S: (int, str)](self, item: T, extra: S) -> None:
        self.items.append(item)

def first[T, *Ts, **P](xs: list[T]) -> T:
    return xs[0]
