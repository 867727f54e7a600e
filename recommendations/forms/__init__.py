"""Council forms, split by resource. Every form mixes in GovUKFormMixin (GOV.UK classes and errors)."""
