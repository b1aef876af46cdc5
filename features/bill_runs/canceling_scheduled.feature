@bill-runs @scheduled
Feature: Canceling a scheduled bill run
  A scheduled bill run waits, pending, until its date comes. It can be canceled before then:
  either only the occurrence that is waiting, or the whole schedule. Rules from the document
  "Cancel bill runs", section "Cancel a scheduled bill run".

  Background:
    Given the tenant has Invoice Settlement enabled
    And today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01

  @BR-CANCEL-PAUSED
  Rule: A paused scheduled bill run cannot be canceled
    Source: "Cancel bill runs", "Cancel a scheduled bill run", last paragraph

    Example: The schedule is paused
      Given a bill run scheduled monthly from 2026-04-01
      And the bill run has been paused
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still paused

    Example: The schedule was paused and then resumed
      Given a bill run scheduled monthly from 2026-04-01
      And the bill run has been paused
      And the bill run has been resumed
      When the bill run is canceled
      Then the bill run ends up canceled

  @BR-CANCEL-ONCE
  Rule: Canceling only the current occurrence of a scheduled bill run schedules the next occurrence at once
    Source: "Cancel bill runs", "Cancel a scheduled bill run", step 3
    Decision (MUST): when a cancellation does not say which occurrences it means, only the current
    one is canceled, as with Zuora's "cancelOnce" option, which is true unless told otherwise.

    Scenario Outline: Only the current occurrence of a <repeat> schedule
      Given a bill run scheduled <repeat> from 2026-04-01
      When only the current occurrence is canceled
      Then the bill run ends up canceled
      And the next occurrence is pending for <next date>

      Examples:
        | repeat  | next date  |
        | daily   | 2026-04-02 |
        | weekly  | 2026-04-08 |
        | monthly | 2026-05-01 |

    Example: The next occurrence runs on its date
      Given a bill run scheduled monthly from 2026-04-01
      When only the current occurrence is canceled
      And time passes until the end of 2026-05-01
      Then "Acme" has no invoice dated 2026-04-01
      And "Acme" has an invoice dated 2026-05-01

    Example: The cancellation does not say which occurrences to cancel
      Given a bill run scheduled monthly from 2026-04-01
      When the bill run is canceled
      Then the next occurrence is pending for 2026-05-01

    Example: The canceled occurrence was the last one the schedule allows
      Given a bill run scheduled monthly from 2026-04-01 until 2026-04-30
      When only the current occurrence is canceled
      Then the bill run ends up canceled
      And no occurrence of the schedule is pending

  @BR-CANCEL-ALL
  Rule: Canceling all recurrences of a pending scheduled bill run leaves no future occurrence
    Source: "Cancel bill runs", "Cancel a scheduled bill run", step 3
    Decision (MUST): the choice between the current occurrence and all recurrences is offered on a
    pending scheduled run (the document's steps), and Zuora's "Cancel a bill run" reference says
    that "cancelOnce" set to false cancels every future recurrence.
    Decision (SHOULD): an occurrence that has already completed is canceled alone, even when all
    recurrences are asked for, and the occurrence it queued keeps waiting. Zuora's older "CRUD: Post
    or cancel a bill run" (section "Cancel a Bill Run") says canceling a completed run cancels only
    that run; the v1 "Cancel a bill run" reference does not say which status its "cancelOnce"
    applies to; the document offers the choice only on a pending run. A target that ends the
    schedule from a completed occurrence gets a warning.

    Scenario Outline: Every recurrence of a <repeat> schedule
      Given a bill run scheduled <repeat> from 2026-04-01
      When all recurrences are canceled
      Then the bill run ends up canceled
      And no occurrence of the schedule is pending

      Examples:
        | repeat  |
        | daily   |
        | weekly  |
        | monthly |

    Example: One occurrence has run, and all recurrences are canceled from the pending one
      Given a bill run scheduled monthly from 2026-04-01
      And time has passed until the end of 2026-04-01
      And the pending occurrence is the bill run in question
      When all recurrences are canceled
      Then the bill run ends up canceled
      And no occurrence of the schedule is pending

    @should
    Example: One occurrence has run, and all recurrences are canceled from the completed one
      Given a bill run scheduled monthly from 2026-04-01
      And time has passed until the end of 2026-04-01
      And the completed occurrence is the bill run in question
      When all recurrences are canceled
      Then the bill run ends up canceled
      And the schedule's next occurrence is pending for 2026-05-01

    Example: No occurrence bills anyone afterwards
      Given a bill run scheduled monthly from 2026-04-01
      When all recurrences are canceled
      And time passes until the end of 2026-06-01
      Then "Acme" has no invoice dated 2026-05-01
      And "Acme" has no invoice dated 2026-06-01

  @BR-RESUME
  Rule: A resumed scheduled bill run waits for its next occurrence, and is canceled when its schedule has none left
    Source: "Cancel bill runs", "Cancel a scheduled bill run", last paragraph (paused runs), with Zuora's "Manage scheduled bill runs", step 4 (pause and resume)
    Decision (MUST): Zuora's "Manage scheduled bill runs" (step 4 and its examples) says a resumed
    run is pending again and waits for its next run time; an occurrence whose time passed while the
    run was paused does not run late, and a run that does not recur, resumed after its time, is
    canceled. So a resumed run can be canceled (BR-CANCEL-PAUSED) unless resuming canceled it.

    Example: A one-time bill run is resumed after its date has passed
      Given a bill run scheduled once from 2026-04-01
      And the bill run has been paused
      And time has passed until the end of 2026-04-01
      When the bill run is resumed
      Then the resumption leaves the bill run canceled
      And no occurrence of the schedule waits to run
      And "Acme" has no invoice dated 2026-04-01

    Example: A monthly schedule is resumed after the date of its occurrence has passed
      Given a bill run scheduled monthly from 2026-04-01
      And the bill run has been paused
      And time has passed until the end of 2026-04-01
      When the bill run is resumed
      Then the resumption leaves the bill run pending
      And the schedule's next occurrence is pending for 2026-05-01
      And "Acme" has no invoice dated 2026-04-01
