"""product raw tables: not written yet."""


def generate(ctx):
    return None
