// Which of the conversation view's actions the server would allow, from the referral's status, who
// owns it and the caller's role (src/handoff/service.ts decides; this only keeps the buttons honest).

const OPEN = ['new', 'claimed', 'in_progress', 'referred'];
const ASSIGNED = ['claimed', 'in_progress', 'referred'];

export interface ChatActor {
  userId: string;
  role: string;
}

export interface AllowedActions {
  /** Messages, canned replies, hand back, referred. */
  work: boolean;
  inProgress: boolean;
  close: boolean;
  /** Transfer to a colleague or back to the queue. */
  transfer: boolean;
}

export function allowedActions(status: string, assignedUserId: string | null, actor: ChatActor): AllowedActions {
  const mayAct = actor.role === 'admin' || assignedUserId === actor.userId;
  const work = ASSIGNED.includes(status) && mayAct;
  return {
    work,
    inProgress: work && status !== 'in_progress',
    // Anyone of the organisation may close a referral nobody claimed (a duplicate).
    close: OPEN.includes(status) && (mayAct || status === 'new'),
    transfer: OPEN.includes(status) && mayAct,
  };
}
