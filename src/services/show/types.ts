/** What `show --json` returns: a summary of whatever the file holds, every member optional. */

export interface PersonSummary {
  name?: string;
  title?: string;
  email?: string;
  phone?: string;
}

export interface PartySummary {
  name?: string;
  businessId?: string;
  unit?: string;
  municipalityCode?: string;
  municipality?: string;
  email?: string;
  phone?: string;
  contact?: PersonSummary;
  backupContact?: PersonSummary;
  /** Where invoices to this party go (1.1). */
  billing?: { eInvoiceAddress?: string; operator?: string; reference?: string; email?: string };
}

export interface ServiceSummary {
  id?: string;
  code?: string;
  /** The catalogue name in the language asked for. */
  name?: string;
  description?: string;
  classification?: string;
  provider?: string;
  payer?: string;
  pricing?: { unit?: string; unitPriceEur?: number; estimatedUnits?: number };
  period?: { from?: string; to?: string };
  clientPlanGoal?: string;
  categories?: string[];
}

export interface HandoverSummary {
  kind: 'handover';
  file: string;
  id?: string;
  type?: string;
  caseReference?: string;
  createdAt?: string;
  /** createdAt as a Europe/Helsinki calendar date. */
  createdOn?: string;
  language?: string;
  /** The day the receiver is asked to answer by (1.1). */
  replyBy?: string;
  /** The official who signs for the sender (1.1). */
  signatory?: { name?: string; title?: string };
  /** Decisions in force that the receiver needs (1.1). */
  decisions?: { date?: string; subject?: string; reference?: string }[];
  /** The sender's commitment to pay (1.1). */
  paymentCommitment?: { from?: string; to?: string; maxAmountEur?: number; decisionReference?: string };
  sender?: PartySummary;
  recipient?: PartySummary;
  youth?: {
    givenName?: string;
    familyName?: string;
    birthDate?: string;
    personalIdentityCode?: string;
    newMunicipalityCode?: string;
    newMunicipality?: string;
    movingDate?: string;
    preferredLanguage?: string;
    interpreter?: string;
    wantsServices?: string;
    wishes?: string;
    nonDisclosure: boolean;
    homeMunicipalityChanges?: boolean;
    /** Without the address when the youth has a non-disclosure marking. */
    contact?: { phone?: string; email?: string; address?: string };
  };
  consent?: {
    basis?: string;
    givenOn?: string;
    method?: string;
    givenBy?: string;
    recordedBy?: string;
    statutoryReference?: string;
    scope: string[];
  };
  entitlement?: {
    basis?: string;
    placementStartedOn?: string;
    placementEndedOn?: string;
    placedAlone?: boolean;
    lastClientOn?: string;
    endsOn?: string;
    /** The last day the law in force on createdAt allows (SPEC §5.4). */
    lastDayByLaw?: string;
    /** Why the right ends on its day, with the citation, in the language asked for (SPEC §5.4). */
    lastDayReason?: string;
    /** The citation of the law row that gives the day. */
    lastDayCitation?: string;
    /** With an extension: the statutory day, apart from what the extension offers (SPEC §5.4). */
    statutoryLastDay?: string;
    extension?: { kind: string; reference: string; decidedOn?: string };
    homeMunicipalityAtEnd?: string;
    /** 1.0/1.1 only: read as an own-policy extension. */
    discretionary?: boolean;
    policyReference?: string;
    payer?: string;
    /** Who pays by law for this basis, in words (LsL 16 a § 3 mom.; 681/2023 69 §). */
    payerRule?: string;
    reimbursementDecision?: string;
  };
  clientPlan?: {
    date?: string;
    reviewDue?: string;
    goals: { id?: string; text?: string; categories?: string[] }[];
  };
  services: ServiceSummary[];
  meeting?: {
    channel?: string;
    location?: string;
    slots: { start?: string; end?: string }[];
    agenda: string[];
  };
  notes?: string;
  supersedes?: string;
  signed: boolean;
}

export interface ReceiptSummary {
  kind: 'receipt';
  file: string;
  id?: string;
  handoverId?: string;
  handoverSha256?: string;
  receivedAt?: string;
  receiver?: PartySummary;
  outcome?: string;
  reasons: { rule?: string; pointer?: string }[];
  signed: boolean;
}

export interface WithdrawalSummary {
  kind: 'withdrawal';
  file: string;
  id?: string;
  handoverId?: string;
  reason?: string;
  withdrawnAt?: string;
  sender?: PartySummary;
  signed: boolean;
}

export type ShowResult = HandoverSummary | ReceiptSummary | WithdrawalSummary;
