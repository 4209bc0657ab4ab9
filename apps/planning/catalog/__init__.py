"""Catalog: what a planning is made of — projects, venues, roles, missions, shift templates.

Start reading at ``services`` (the only code that writes these rows), then ``selectors``
(reads), ``api`` (views) over ``serializers``, and ``urls``. ``cache`` keeps the heavy
project and mission lists per organization.
"""
