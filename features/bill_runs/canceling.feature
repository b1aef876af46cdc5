@bill-runs
Feature: Which bill runs can be canceled
  A bill run whose invoices must not reach customers can be canceled, but only while nothing
  in it has been issued. Rules from the document "Cancel bill runs".

  Background:
    Given the tenant has Invoice Settlement enabled
    And today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01

  @BR-CANCEL-COMPLETED
  Rule: A completed bill run whose invoices are all still drafts can be canceled
    Source: "Cancel bill runs", introduction; "Cancel an ad hoc bill run"

    Example: Its one invoice is a draft
      Given a completed bill run for "Acme" with target date 2026-03-01
      When the bill run is canceled
      Then the bill run ends up canceled

    Example: It billed several customers and every invoice is a draft
      Given the customer "Globex" subscribes to "Pro Monthly" from 2026-02-15
      And a completed bill run for all customers with target date 2026-03-01
      When the bill run is canceled
      Then the bill run ends up canceled

    Example: It found nothing to bill
      Given the customer "Initech" has nothing to bill
      And a completed bill run for "Initech" with target date 2026-03-01
      When the bill run is canceled
      Then the bill run ends up canceled

  @BR-CANCEL-PENDING
  Rule: A pending bill run can be canceled
    Source: "Cancel bill runs", introduction; "Cancel a scheduled bill run"

    Scenario Outline: A bill run scheduled <repeat> has not run yet
      Given a bill run scheduled <repeat> from 2026-04-01
      When the bill run is canceled
      Then the bill run ends up canceled

      Examples:
        | repeat  |
        | once    |
        | daily   |
        | weekly  |
        | monthly |

    Example: A canceled pending bill run never bills anyone
      Given a bill run scheduled once from 2026-04-01
      When the bill run is canceled
      And time passes until the end of 2026-04-02
      Then "Acme" has no invoice dated 2026-04-01

    Example: An ad hoc bill run that has not been processed yet
      Given a pending ad hoc bill run for "Acme" with target date 2026-03-01
      When the bill run is canceled
      Then the bill run ends up canceled
      And "Acme" has no invoice dated 2026-03-01

  @BR-CANCEL-POSTED-INVOICE
  Rule: A completed bill run that holds a posted invoice cannot be canceled
    Source: "Cancel bill runs", introduction
    Decision (SHOULD): a posted credit memo blocks the cancellation as well. A posted credit memo
    can no longer be canceled, so the run could not cancel all of its documents as the rules
    require. The document names only posted invoices; this is the kit's decision.

    Example: One of its two invoices has been posted
      Given the customer "Globex" subscribes to "Pro Monthly" from 2026-02-15
      And a completed bill run for all customers with target date 2026-03-01
      And the invoice of "Acme" has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still completed
      And the invoice of "Acme" is still posted
      And the invoice of "Globex" is still a draft

    Example: Its only invoice has been posted
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the invoice of "Acme" has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still completed

    @should
    Example: Its credit memo has been posted
      Given the customer "Globex" subscribes to "Goodwill Credit" from 2026-03-01
      And a completed bill run for "Globex" with target date 2026-03-01
      And the credit memo of "Globex" has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still completed

  @BR-CANCEL-POSTED-RUN
  Rule: A posted bill run cannot be canceled
    Source: "Cancel bill runs", introduction

    Example: The whole bill run has been posted
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still posted
      And the invoice of "Acme" is still posted

  @BR-CANCEL-ONLY-PENDING-OR-COMPLETED
  Rule: A bill run that ended in error or is already canceled cannot be canceled
    Source: "Cancel bill runs", introduction (only completed and pending runs are named as cancelable)
    Decision (MUST): the document names the statuses that can be canceled, and Zuora's bill-run
    status types say a run can be canceled only if it is pending or completed; every other status is
    refused. Runs still being processed, posted or canceled are refused too: BR-IN-PASSING-STATUS
    holds runs in those passing statuses; the examples here use the lasting ones.

    Example: The bill run ended in error
      Given the customer "Hooli" subscribes to "Basic Monthly" from 2026-03-01
      And the account of "Hooli" has been closed
      And a bill run for "Hooli" with target date 2026-03-01 that ended in error
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still in error

    Example: The bill run has already been canceled
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been canceled
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still canceled

  @BR-IN-PASSING-STATUS
  Rule: A bill run that is being processed, posted or canceled can be neither canceled nor deleted
    Source: "Cancel bill runs", introduction (only pending and completed runs are named as cancelable, and a run is deleted after it is canceled)
    Decision (MUST): Zuora's bill-run status types say a run still being processed cannot be
    canceled, and only pending or completed runs can; Zuora's "Delete a bill run" allows only
    canceled runs and runs that ended in error. A run on its way to being posted or canceled is
    neither, so it is refused as well. The refusal changes nothing: the run carries on where it
    was. It may come as a rule restriction or an invalid value, or as Zuora's locking contention
    (its "Error codes" guide: the objects are being worked on by a batch job), which is exactly
    what a run in passage is; elsewhere a contention means "not now" (see the shared decisions).

    Scenario Outline: Canceling a bill run that is being <passage>
      Given a bill run for "Acme" with target date 2026-03-01 held while it is being <passage>
      When the bill run is canceled
      Then the cancellation is refused because the bill run is busy
      And the bill run is still being <passage>

      Examples:
        | passage   |
        | processed |
        | posted    |
        | canceled  |

    Scenario Outline: Deleting a bill run that is being <passage>
      Given a bill run for "Acme" with target date 2026-03-01 held while it is being <passage>
      When the bill run is deleted
      Then the deletion is refused because the bill run is busy
      And the bill run is still being <passage>

      Examples:
        | passage   |
        | processed |
        | posted    |
        | canceled  |
