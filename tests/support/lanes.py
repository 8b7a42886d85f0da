"""What the test lanes share with the tests that check them (tests/conftest.py marks the lanes)."""

LONG_TIMEOUT = 900  # seconds per test in the browser, stack and slow lanes; every other test has pyproject's 300
