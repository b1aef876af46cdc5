@bill-runs
Feature: What canceling a bill run does, and what can be done with it afterwards
  Canceling a bill run takes its documents with it, so that no payment is collected for them.
  The canceled run stays visible and can then be deleted. Rules from the document
  "Cancel bill runs", introduction.

  Background:
    Given today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01

  @BR-CANCEL-INVOICES
  Rule: Canceling a bill run cancels its invoices, and no payment can then be collected on them
    Source: "Cancel bill runs", introduction
    Decision (MUST): the refused payment is set beside one the customer can make. Acme also has a
    posted invoice from an earlier bill run, which the cancellation leaves alone; once the run is
    canceled, the same 30.00 USD is paid on that invoice first (Zuora's "Create a payment": a
    payment on a posted invoice with a balance). A tenant that refuses that payment as well has
    refused for a reason this rule does not name, and the example is errored, not passed.

    Background:
      Given the tenant has Invoice Settlement enabled

    Example: Every invoice of the canceled bill run is canceled
      Given the customer "Globex" subscribes to "Pro Monthly" from 2026-02-15
      And a completed bill run for all customers with target date 2026-03-01
      When the bill run is canceled
      Then the invoice of "Acme" is canceled
      And the invoice of "Globex" is canceled

    Example: A payment on an invoice of a canceled bill run is refused
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And today is 2026-04-01
      And a completed bill run for "Acme" with target date 2026-04-01
      And the bill run has been canceled
      And "Acme" has paid 30.00 USD of the invoice dated 2026-03-01
      When a payment of 30.00 USD is collected on the invoice of "Acme"
      Then the payment is refused because a business rule forbids it
      And the invoice of "Acme" is canceled

  @BR-CANCEL-ONLY-ITS-DOCUMENTS
  Rule: Canceling a bill run cancels only the documents it created
    Source: "Cancel bill runs", introduction (the invoices created in the bill run, and its credit memos)

    Background:
      Given the tenant has Invoice Settlement enabled

    Example: The customer's draft invoice from an earlier bill run
      Given "Acme" has a draft invoice of 30.00 USD dated 2026-03-01
      And a completed bill run for "Acme" with target date 2026-04-01
      When the bill run is canceled
      Then the cancellation leaves the invoice of "Acme" dated 2026-03-01 a draft with a balance of 30.00 USD

    Example: The customer's posted invoice from an earlier bill run
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And a completed bill run for "Acme" with target date 2026-04-01
      When the bill run is canceled
      Then the cancellation leaves the invoice of "Acme" dated 2026-03-01 posted with a balance of 30.00 USD

    Example: Another customer's draft invoice
      Given the customer "Globex" subscribes to "Basic Monthly" from 2026-03-01
      And "Globex" has a draft invoice of 30.00 USD dated 2026-03-01
      And a completed bill run for "Acme" with target date 2026-03-01
      When the bill run is canceled
      Then the cancellation leaves the invoice of "Globex" dated 2026-03-01 a draft with a balance of 30.00 USD

  @BR-CANCELED-NOT-POSTED
  Rule: A canceled bill run cannot be posted
    Source: "Cancel bill runs", introduction (a canceled bill run can still be viewed, and deleted)
    Decision (MUST): only a completed bill run can be posted (Zuora's "Post a bill run"); posting
    a canceled one is refused by a business rule: the run stays canceled and none of its invoices
    is posted.

    Background:
      Given the tenant has Invoice Settlement enabled

    Example: Posting a canceled bill run
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been canceled
      When the bill run is posted
      Then the posting is refused because a business rule forbids it
      And the bill run is still canceled
      And the invoice of "Acme" has not been posted

  @BR-POST-HOLDING-POSTED-INVOICE
  Rule: Posting a completed bill run that already holds a posted invoice posts its draft invoices and the run
    Source: "Cancel bill runs", introduction (a bill run holding a posted invoice can no longer be canceled, only posted)
    Decision (MUST): Zuora's "Post a bill run" (step 3, its note) says posting a run does not post
    again the invoices already posted and does post its drafts; Zuora's "Post a bill run" API
    reference says the run is Posted once all its invoices are. The invoice posted before keeps its
    status.

    Background:
      Given the tenant has Invoice Settlement enabled

    Example: One of its two invoices has already been posted
      Given the customer "Globex" subscribes to "Pro Monthly" from 2026-02-15
      And a completed bill run for all customers with target date 2026-03-01
      And the invoice of "Acme" has been posted
      When the bill run is posted
      Then the bill run ends up posted
      And the invoice of "Globex" is posted
      And the invoice of "Acme" is still posted

    Example: Its only invoice has already been posted
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the invoice of "Acme" has been posted
      When the bill run is posted
      Then the bill run ends up posted
      And the invoice of "Acme" is still posted

  @BR-CANCELED-CHARGES-BILLED-AGAIN @should
  Rule: The charges of a canceled bill run are billed again by a later bill run
    Source: "Cancel bill runs", introduction (canceling keeps the invoices from being paid)
    Decision (SHOULD): the document says what canceling does to the invoices, not to the charges
    they billed. The kit expects them to be billable again, as if the canceled run had never
    billed them (a canceled invoice bills nothing); a target that forgives them gets a warning.
    The example starts from a run whose invoices were canceled with it: where they were not,
    another rule is broken and this one cannot be judged.

    Background:
      Given the tenant has Invoice Settlement enabled

    Example: A bill run for the same date after the cancellation
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been canceled, and its invoices with it
      When a bill run for "Acme" completes with target date 2026-03-01
      Then the bill run produced an invoice of 30.00 USD for "Acme"

  @BR-CANCEL-CREDIT-MEMOS
  Rule: With Invoice Settlement enabled, canceling a bill run also cancels its credit memos
    Source: "Cancel bill runs", introduction, second paragraph
    Decision (SHOULD): without Invoice Settlement a bill run makes no credit memos at all; a
    customer whose charges add up to less than zero gets an invoice with a negative amount
    instead. The document and Zuora's API reference are silent on this; it is the kit's decision.

    Example: Invoice Settlement is enabled
      Given the tenant has Invoice Settlement enabled
      And the customer "Globex" subscribes to "Goodwill Credit" from 2026-03-01
      And a completed bill run for all customers with target date 2026-03-01
      When the bill run is canceled
      Then the credit memo of "Globex" is canceled

    @should
    Example: Invoice Settlement is disabled
      Given the tenant has Invoice Settlement disabled
      And the customer "Globex" subscribes to "Goodwill Credit" from 2026-03-01
      And a completed bill run for all customers with target date 2026-03-01
      When the bill run is canceled
      Then the bill run has no credit memo
      And the invoice of "Globex" amounts to -20.00 USD

  @BR-VIEW-CANCELED
  Rule: A canceled bill run can still be viewed
    Source: "Cancel bill runs", introduction

    Background:
      Given the tenant has Invoice Settlement enabled

    Example: An ad hoc bill run
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been canceled
      When the bill run is looked up
      Then it is shown as canceled, with its number and target date 2026-03-01

    Example: An occurrence of a schedule
      Given a bill run scheduled monthly from 2026-04-01
      And the bill run has been canceled
      When the bill run is looked up
      Then it is shown as canceled, with its number and target date 2026-04-01

  @BR-DELETE
  Rule: Only a canceled bill run, or one that ended in error, can be deleted
    Source: "Cancel bill runs", introduction
    Decision (MUST): the document allows deleting a canceled bill run. Zuora's API also deletes a run
    that ended in error, and so does the reference implementation. Deleting a run removes its
    (canceled) invoices with it, as Zuora's "Delete bill runs" describes.

    Background:
      Given the tenant has Invoice Settlement enabled

    Example: A canceled bill run
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been canceled
      When the bill run is deleted
      Then the bill run can no longer be found
      And its invoices can no longer be found

    Example: A bill run that ended in error
      Given the customer "Hooli" subscribes to "Basic Monthly" from 2026-03-01
      And the account of "Hooli" has been closed
      And a bill run for "Hooli" with target date 2026-03-01 that ended in error
      When the bill run is deleted
      Then the bill run can no longer be found

    Scenario Outline: A <status> bill run
      Given a <status> bill run for "Acme" dated 2026-04-01
      When the bill run is deleted
      Then the deletion is refused because a business rule forbids it
      And the bill run is still <status>

      Examples:
        | status    |
        | completed |
        | posted    |
        | pending   |
        | paused    |
