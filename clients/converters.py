class ClientCodeConverter:
    """A client code (AS-2026-0001) in a URL, so other paths under /clients/ never match it."""

    regex = r"AS-[0-9]{4}-[0-9]{4,}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
