export {
  gsm7Septets,
  SMS_LIMITS,
  smsSegments,
  type SmsEncoding,
  type SmsSegments,
} from './segments';
export { smsDestinationCountry } from './country';
