import asyncio, functools
from typing import Callable, TypeVar, ParamSpec
P = ParamSpec("P")
R = TypeVar("R")

def retry(times: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def deco(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return fn(*args, **kwargs)
        return wrapper
    return deco

@retry(3)
async def fetch(x: int, /, y: int = 2, *, z: int) -> list[int]:
    async with asyncio.timeout(1):
        async for i in agen():
            await asyncio.sleep(0)
    return [i async for i in agen()]

async def agen():
    yield 1

@(lambda f: f)
def weird(): ...

try:
    pass
except* ValueError as eg:
    pass
except* (TypeError, KeyError):
    pass
