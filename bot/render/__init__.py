"""Pure Block Kit renderers: domain results in, `slack_sdk.models.blocks` out."""
