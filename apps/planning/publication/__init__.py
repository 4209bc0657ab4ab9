"""Publication: numbered versions with their diff, invitations, calendar feeds, exports.

Start reading at ``services`` (publish and its preview), then ``invitations`` (signed links
answered without logging in, ``tokens``), ``reports`` (hours, cost, CSV), ``tasks`` (the
e-mails, sent after commit), ``pages`` (the invitation page a crew member opens) and ``api``.

The crew follow-ups: ``crew_invitations`` (publication and the board invite in bulk, one
e-mail per person; resend), ``reminders`` (beat: invitation reminders, the managers'
digest, the eve reminder), ``delivery`` (each message sent once under a ``SentMessage``
key) and ``policy`` (the organization's delays and open-shift mode).
"""
