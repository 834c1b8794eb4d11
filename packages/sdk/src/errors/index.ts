export { AssetL2Error, ERROR_CODES, type ErrorCode, isAssetL2Error } from './codes.ts';
