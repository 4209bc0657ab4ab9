"""Schedule: shifts and the assignments of crew to them, and the timeline that draws them.

Start reading at ``services`` (shift and assignment writes, each checked against the rules
in ``apps.planning.rules`` before it saves), then ``selectors``, ``timeline`` (the board's
one payload), ``api`` and ``urls``. ``open_shifts``: shifts opened to the crew, claimed
by qualified, free crew members under the shift's row lock.
"""
