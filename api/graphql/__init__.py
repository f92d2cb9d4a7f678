"""GraphQL transport: hand-written Strawberry types over the same services and permission layer as REST."""
