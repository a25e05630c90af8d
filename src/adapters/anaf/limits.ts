/** ANAF's published call limits (../shared/reference/anaf-api/limiteApeluriAPI.txt), as data. */
export interface CallLimits {
  /** All methods together, per minute. */
  perMinute: number;
  statusPerMessagePerDay: number;
  downloadsPerMessagePerDay: number;
  simpleListPerCuiPerDay: number;
  pagedListPerCuiPerDay: number;
  raspUploadsPerCuiPerDay: number;
  /** Share of each limit Efact allows itself (0.8 = keep 20 % head-room). */
  headroom: number;
}

export const ANAF_PUBLISHED_LIMITS: CallLimits = {
  perMinute: 1000,
  statusPerMessagePerDay: 100,
  downloadsPerMessagePerDay: 10,
  simpleListPerCuiPerDay: 1500,
  pagedListPerCuiPerDay: 100_000,
  raspUploadsPerCuiPerDay: 1000,
  headroom: 1,
};
