"""The inbox's two kinds of problem, each said in one line."""


class ConfigProblem(Exception):
    """A setting that cannot work."""


class Refusal(Exception):
    """A post the inbox will not take: status, a reason for the log, words for the visitor."""

    def __init__(self, status, reason, heading, words):
        super().__init__(reason)
        self.status, self.reason, self.heading, self.words = status, reason, heading, words
