"""Property-based tests check results, not speed: no per-example deadline.

On a shared two-core CI machine an example can take 300 ms for reasons that have nothing
to do with the code (Hypothesis's default deadline is 200 ms), which made the pure
statistics tests fail at random — a timed assertion in disguise.
"""

from hypothesis import settings

settings.register_profile("lms", deadline=None)
settings.load_profile("lms")
