"""Planning reads, one module per area; each selector scopes to one organization."""
