"""What coordinators read and file: weekly digests with charts, cross-grid figures, the
ledger (台账), quarterly spot checks and 社情民意 drafts."""
