/**
 * @bwdc/bench-kit (private): what every benchmark shares. Child processes are timed under GNU
 * time (wall, CPU, peak RSS); measurements run in interleaved rounds; tables show min / median /
 * max and each figure's ratio to its floor in the same round.
 */
export { timed, type RunSpec, type Sample } from './measure';
export { interleave, ratios, spread, type Failures, type Rounds, type Spread } from './stats';
export { floorTable, machineLine, progressLine, table } from './report';
export { BUILT_CLI, BwdcCli, cliVariants, numberOption } from './cli';
export { seededRandom } from './random';
