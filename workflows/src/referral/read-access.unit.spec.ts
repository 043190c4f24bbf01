import { describe, expect, it } from 'vitest';
import { caseTeam, readAccess, type ReadAccessFacts } from './read-access.js';

const none: ReadAccessFacts = { assignee: null, plan: null, caseDiscussions: [], disclosedTo: [] };
const reader = (agency: string, roles: ('officer' | 'admin' | 'probation' | 'auditor')[] = ['officer'], sub = 'u1') => ({ sub, roles, agency });

const discussion = (invited: string[], attendees: string[]) => ({
  discussionId: 'cd1',
  status: 'held' as const,
  scheduledFor: null,
  invitedAgencies: invited,
  heldAt: '2026-11-20T10:00:00Z',
  attendees: attendees.map((agency) => ({ agency, discipline: 'x', count: 1 })),
  decisions: ['d'],
});

describe('readAccess', () => {
  it('lets the owning force read every referral, and no admin read any', () => {
    expect(readAccess(none, reader('police'), 'police')).toEqual({ allowed: true, basis: 'owning_agency' });
    expect(readAccess(none, reader('police', ['admin']), 'police')).toEqual({ allowed: false, reason: 'admin_reads_no_personal_data' });
    expect(readAccess({ ...none, disclosedTo: ['nhs'] }, reader('nhs', ['admin']), 'police').allowed).toBe(false);
    // A second role that reads personal data is what grants the read, not admin.
    expect(readAccess(none, reader('police', ['admin', 'auditor']), 'police').allowed).toBe(true);
  });

  it('refuses a partner agency with no link', () => {
    expect(readAccess(none, reader('probation', ['probation']), 'police')).toEqual({ allowed: false, reason: 'agency_not_entitled' });
    expect(readAccess(none, reader('police'), 'met-police')).toEqual({ allowed: false, reason: 'agency_not_entitled' });
  });

  it('admits the case team: the assignee and plan action owners by subject, discussion agencies by agency', () => {
    const assigned = { ...none, assignee: { sub: 'po-7', agency: 'probation' } };
    expect(readAccess(assigned, reader('probation', ['probation'], 'po-7'), 'police')).toEqual({ allowed: true, basis: 'case_team' });
    expect(readAccess(assigned, reader('probation', ['probation'], 'po-8'), 'police').allowed).toBe(false);
    const plan = {
      ...none,
      plan: { planId: 'p1', agreedAt: 'x', actions: [{ actionId: 'p1.a1', kind: 'safeguarding', description: 'd', owner: { sub: 'nurse-1', agency: 'nhs' }, dueDate: '2026-12-01', status: 'open', completedAt: null, note: null }] },
    } as unknown as ReadAccessFacts;
    expect(readAccess(plan, reader('nhs', ['officer'], 'nurse-1'), 'police').allowed).toBe(true);
    expect(readAccess({ ...none, caseDiscussions: [discussion(['nhs'], [])] }, reader('nhs'), 'police')).toEqual({ allowed: true, basis: 'case_team' });
    expect(readAccess({ ...none, caseDiscussions: [discussion([], ['advocacy'])] }, reader('advocacy'), 'police').allowed).toBe(true);
    expect(caseTeam({ ...assigned, caseDiscussions: [discussion(['nhs'], ['advocacy'])] })).toEqual({ subs: new Set(['po-7']), agencies: new Set(['nhs', 'advocacy']) });
  });

  it('admits an agency the referral was disclosed to', () => {
    expect(readAccess({ ...none, disclosedTo: ['probation'] }, reader('probation', ['probation']), 'police')).toEqual({ allowed: true, basis: 'disclosure' });
    expect(readAccess({ ...none, disclosedTo: ['probation'] }, reader('nhs'), 'police').allowed).toBe(false);
  });
});
