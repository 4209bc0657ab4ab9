"""Publication: numbered versions with their diff, invitations, calendar feeds, exports.

Start reading at ``services`` (publish and its preview), then ``invitations`` (signed links
answered without logging in, ``tokens``), ``reports`` (hours, cost, CSV), ``tasks`` (the
e-mails, sent after commit), ``pages`` (the invitation page a crew member opens) and ``api``.
"""
