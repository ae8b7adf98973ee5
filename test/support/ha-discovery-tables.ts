// Tables transcribed from /work/shared/ha-discovery.md (sections 1.1, 2, 3, 4). They live apart
// from the rules so a doc revision can be diffed against one file.

/** Parses "short=long short=long ..." blocks, the format the doc's tables are written in. */
function parsePairs(block: string): Readonly<Record<string, string>> {
  const table: Record<string, string> = {};
  for (const pair of block.split(/\s+/).filter((p) => p !== '')) {
    const [short, long] = pair.split('=');
    table[short] = long;
  }
  return table;
}

/** Main abbreviation table (section 2.1, home-assistant.io 2026 revision), copied verbatim. */
export const MAIN_ABBREVIATIONS = parsePairs(`
act_t=action_topic  act_tpl=action_template  atype=automation_type
aux_cmd_t=aux_command_topic  aux_stat_t=aux_state_topic  aux_stat_tpl=aux_state_template
av_tones=available_tones  avty=availability  avty_mode=availability_mode
avty_t=availability_topic  avty_tpl=availability_template
away_mode_cmd_t=away_mode_command_topic  away_mode_stat_t=away_mode_state_topic
away_mode_stat_tpl=away_mode_state_template  b_tpl=blue_template
bri_cmd_t=brightness_command_topic  bri_cmd_tpl=brightness_command_template
bri_scl=brightness_scale  bri_stat_t=brightness_state_topic  bri_tpl=brightness_template
bri_val_tpl=brightness_value_template  clr_temp_cmd_t=color_temp_command_topic
clr_temp_cmd_tpl=color_temp_command_template  clr_temp_k=color_temp_kelvin
clr_temp_stat_t=color_temp_state_topic  clr_temp_tpl=color_temp_template
clr_temp_val_tpl=color_temp_value_template  clrm_stat_t=color_mode_state_topic
clrm_val_tpl=color_mode_value_template  cmd_off_tpl=command_off_template
cmd_on_tpl=command_on_template  cmd_t=command_topic  cmd_tpl=command_template
cmps=components  cod_arm_req=code_arm_required  cod_dis_req=code_disarm_required
cod_trig_req=code_trigger_required  cont_type=content_type
curr_temp_t=current_temperature_topic  curr_temp_tpl=current_temperature_template
def_ent_id=default_entity_id  dev=device  dev_cla=device_class
dir_cmd_t=direction_command_topic  dir_cmd_tpl=direction_command_template
dir_stat_t=direction_state_topic  dir_val_tpl=direction_value_template
dsp_prc=display_precision  e=encoding  en=enabled_by_default  ent_cat=entity_category
ent_pic=entity_picture  evt_typ=event_types  exp_aft=expire_after
fanspd_lst=fan_speed_list  flsh=flash  flsh_tlng=flash_time_long  flsh_tsht=flash_time_short
fx_cmd_t=effect_command_topic  fx_cmd_tpl=effect_command_template  fx_list=effect_list
fx_stat_t=effect_state_topic  fx_tpl=effect_template  fx_val_tpl=effect_value_template
fan_mode_cmd_t=fan_mode_command_topic  fan_mode_cmd_tpl=fan_mode_command_template
fan_mode_stat_t=fan_mode_state_topic  fan_mode_stat_tpl=fan_mode_state_template
frc_upd=force_update  g_tpl=green_template  hs_cmd_t=hs_command_topic
hs_cmd_tpl=hs_command_template  hs_stat_t=hs_state_topic  hs_val_tpl=hs_value_template
ic=icon  img_e=image_encoding  img_t=image_topic  init=initial
hum_cmd_t=target_humidity_command_topic  hum_cmd_tpl=target_humidity_command_template
hum_stat_t=target_humidity_state_topic  hum_state_tpl=target_humidity_state_template
json_attr=json_attributes  json_attr_t=json_attributes_topic
json_attr_tpl=json_attributes_template  l_ver_t=latest_version_topic
l_ver_tpl=latest_version_template  lrst_t=last_reset_topic
lrst_val_tpl=last_reset_value_template  max=max  max_hum=max_humidity  max_k=max_kelvin
max_mirs=max_mireds  max_temp=max_temp  migr_discvry=migrate_discovery  min=min
min_hum=min_humidity  min_k=min_kelvin  min_mirs=min_mireds  min_temp=min_temp  mode=mode
mode_cmd_t=mode_command_topic  mode_cmd_tpl=mode_command_template
mode_stat_t=mode_state_topic  mode_stat_tpl=mode_state_template  modes=modes  name=name
o=origin  off_dly=off_delay  on_cmd_type=on_command_type  ops=options  opt=optimistic
osc_cmd_t=oscillation_command_topic  osc_cmd_tpl=oscillation_command_template
osc_stat_t=oscillation_state_topic  osc_val_tpl=oscillation_value_template  p=platform
pct_cmd_t=percentage_command_topic  pct_cmd_tpl=percentage_command_template
pct_stat_t=percentage_state_topic  pct_val_tpl=percentage_value_template  pl=payload
pl_arm_away=payload_arm_away  pl_arm_custom_b=payload_arm_custom_bypass
pl_arm_home=payload_arm_home  pl_arm_nite=payload_arm_night
pl_arm_vacation=payload_arm_vacation  pl_avail=payload_available
pl_cln_sp=payload_clean_spot  pl_cls=payload_close  pl_dir_fwd=payload_direction_forward
pl_dir_rev=payload_direction_reverse  pl_disarm=payload_disarm  pl_home=payload_home
pl_inst=payload_install  pl_loc=payload_locate  pl_lock=payload_lock
pl_not_avail=payload_not_available  pl_not_home=payload_not_home  pl_off=payload_off
pl_on=payload_on  pl_open=payload_open  pl_osc_off=payload_oscillation_off
pl_osc_on=payload_oscillation_on  pl_paus=payload_pause  pl_prs=payload_press
pl_ret=payload_return_to_base  pl_rst=payload_reset  pl_rst_hum=payload_reset_humidity
pl_rst_mode=payload_reset_mode  pl_rst_pct=payload_reset_percentage
pl_rst_pr_mode=payload_reset_preset_mode  pl_stop=payload_stop
pl_stop_tilt=payload_stop_tilt  pl_stpa=payload_start_pause  pl_strt=payload_start
pl_toff=payload_turn_off  pl_ton=payload_turn_on  pl_trig=payload_trigger
pl_unlk=payload_unlock  pos=reports_position  pos_clsd=position_closed
pos_open=position_open  pr_mode_cmd_t=preset_mode_command_topic
pr_mode_cmd_tpl=preset_mode_command_template  pr_mode_stat_t=preset_mode_state_topic
pr_mode_val_tpl=preset_mode_value_template  pr_modes=preset_modes  ptrn=pattern
r_tpl=red_template  rel_s=release_summary  rel_u=release_url  ret=retain
rgb_cmd_t=rgb_command_topic  rgb_cmd_tpl=rgb_command_template  rgb_stat_t=rgb_state_topic
rgb_val_tpl=rgb_value_template  rgbw_cmd_t=rgbw_command_topic
rgbw_cmd_tpl=rgbw_command_template  rgbw_stat_t=rgbw_state_topic
rgbw_val_tpl=rgbw_value_template  rgbww_cmd_t=rgbww_command_topic
rgbww_cmd_tpl=rgbww_command_template  rgbww_stat_t=rgbww_state_topic
rgbww_val_tpl=rgbww_value_template  send_cmd_t=send_command_topic  send_if_off=send_if_off
set_fan_spd_t=set_fan_speed_topic  set_pos_t=set_position_topic
set_pos_tpl=set_position_template  pos_t=position_topic  pos_tpl=position_template
spd_rng_min=speed_range_min  spd_rng_max=speed_range_max  src_type=source_type
stat_cla=state_class  stat_closing=state_closing  stat_clsd=state_closed
stat_jam=state_jammed  stat_locked=state_locked  stat_locking=state_locking
stat_off=state_off  stat_on=state_on  stat_open=state_open  stat_opening=state_opening
stat_stopped=state_stopped  stat_unlocked=state_unlocked  stat_unlocking=state_unlocking
stat_t=state_topic  stat_tpl=state_template  stat_val_tpl=state_value_template  step=step
stype=subtype  sug_dsp_prc=suggested_display_precision  sup_clrm=supported_color_modes
sup_dur=support_duration  sup_vol=support_volume_set  sup_feat=supported_features
swing_mode_cmd_t=swing_mode_command_topic  swing_mode_cmd_tpl=swing_mode_command_template
swing_mode_stat_t=swing_mode_state_topic  swing_mode_stat_tpl=swing_mode_state_template
t=topic  temp_cmd_t=temperature_command_topic  temp_cmd_tpl=temperature_command_template
temp_hi_cmd_t=temperature_high_command_topic
temp_hi_cmd_tpl=temperature_high_command_template
temp_hi_stat_t=temperature_high_state_topic
temp_hi_stat_tpl=temperature_high_state_template
temp_lo_cmd_t=temperature_low_command_topic
temp_lo_cmd_tpl=temperature_low_command_template
temp_lo_stat_t=temperature_low_state_topic  temp_lo_stat_tpl=temperature_low_state_template
temp_stat_t=temperature_state_topic  temp_stat_tpl=temperature_state_template
temp_unit=temperature_unit  tilt_clsd_val=tilt_closed_value  tilt_cmd_t=tilt_command_topic
tilt_cmd_tpl=tilt_command_template  tilt_max=tilt_max  tilt_min=tilt_min
tilt_opnd_val=tilt_opened_value  tilt_opt=tilt_optimistic  tilt_status_t=tilt_status_topic
tilt_status_tpl=tilt_status_template  tit=title  trns=transition  uniq_id=unique_id
unit_of_meas=unit_of_measurement  url_t=url_topic  url_tpl=url_template
val_tpl=value_template  whit_cmd_t=white_command_topic  whit_scl=white_scale
xy_cmd_t=xy_command_topic  xy_cmd_tpl=xy_command_template  xy_stat_t=xy_state_topic
xy_val_tpl=xy_value_template
`);

/**
 * `obj_id` left the 2026 table only because `object_id` itself was removed in 2026.4. HA
 * 2025.10-2026.3 still expands it and warns, so expanding it here lets the deprecation
 * warning catch the short spelling too.
 */
export const LEGACY_ABBREVIATIONS: Readonly<Record<string, string>> = { obj_id: 'object_id' };

/** Section 2.2: applied only inside `device`. `via_device` deliberately has no short form. */
export const DEVICE_ABBREVIATIONS = parsePairs(`
cns=connections  cu=configuration_url  ids=identifiers  name=name  mf=manufacturer
mdl=model  mdl_id=model_id  hw=hw_version  sw=sw_version  sa=suggested_area
sn=serial_number
`);

/** Section 2.3: applied only inside `origin`. */
export const ORIGIN_ABBREVIATIONS = parsePairs('name=name sw=sw_version url=support_url');

/** Section 1.1, 2026 dev `SUPPORTED_COMPONENTS`. */
export const SUPPORTED_COMPONENTS: ReadonlySet<string> = new Set([
  'alarm_control_panel',
  'binary_sensor',
  'button',
  'camera',
  'climate',
  'cover',
  'date',
  'datetime',
  'device_automation',
  'device_tracker',
  'event',
  'fan',
  'humidifier',
  'image',
  'infrared',
  'lawn_mower',
  'light',
  'lock',
  'notify',
  'number',
  'scene',
  'siren',
  'select',
  'sensor',
  'switch',
  'tag',
  'text',
  'time',
  'update',
  'vacuum',
  'valve',
  'water_heater',
]);

/** Not entities: no unique_id, no entity registry, but a mandatory device (section 3.8). */
export const NON_ENTITY_COMPONENTS: ReadonlySet<string> = new Set(['device_automation', 'tag']);

/** Section 5.2: the device schema is strict, so this is the complete list of accepted keys. */
export const DEVICE_KEYS: ReadonlySet<string> = new Set([
  'identifiers',
  'connections',
  'name',
  'manufacturer',
  'model',
  'model_id',
  'hw_version',
  'sw_version',
  'serial_number',
  'suggested_area',
  'via_device',
  'configuration_url',
]);

/** Section 5.3: the origin schema is strict as well. */
export const ORIGIN_KEYS: ReadonlySet<string> = new Set(['name', 'sw_version', 'support_url']);

/** Section 1.2: the only keys a device-discovery root may carry (voluptuous default = strict). */
export const DEVICE_ROOT_KEYS: ReadonlySet<string> = new Set([
  'device',
  'origin',
  'components',
  'availability',
  'availability_topic',
  'availability_template',
  'availability_mode',
  'payload_available',
  'payload_not_available',
  'state_topic',
  'command_topic',
  'qos',
  'encoding',
  'message_expiry_interval',
]);

/** Root options a component inherits unless it sets the same key itself (section 1.2). */
export const SHARED_ROOT_OPTIONS: readonly string[] = [...DEVICE_ROOT_KEYS].filter(
  (key) => !['device', 'origin', 'components'].includes(key),
);

export const BINARY_SENSOR_DEVICE_CLASSES: ReadonlySet<string> = new Set(
  (
    'battery battery_charging carbon_monoxide cold connectivity door garage_door gas heat light ' +
    'lock moisture motion moving occupancy opening plug power presence problem running safety ' +
    'smoke sound tamper update vibration window'
  ).split(' '),
);
export const SWITCH_DEVICE_CLASSES: ReadonlySet<string> = new Set(['outlet', 'switch']);
export const BUTTON_DEVICE_CLASSES: ReadonlySet<string> = new Set([
  'identify',
  'restart',
  'update',
]);

export const STATE_CLASSES: readonly string[] = [
  'measurement',
  'measurement_angle',
  'total',
  'total_increasing',
];

/** Section 3.1/4.3: classes whose state is not a number; unit and state_class are refused. */
export const NON_NUMERIC_SENSOR_CLASSES: ReadonlySet<string> = new Set([
  'date',
  'enum',
  'timestamp',
  'uptime',
]);

const M = ['measurement'];
const TOTALS = ['total', 'total_increasing'];

/** Section 4.3 `DEVICE_CLASS_STATE_CLASSES`; a mismatch is only a warning in HA. */
export const SENSOR_STATE_CLASSES: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(
    (
      'absolute_humidity apparent_power aqi atmospheric_pressure battery ' +
      'blood_glucose_concentration carbon_monoxide carbon_dioxide conductivity current ' +
      'data_rate energy_distance energy_storage frequency humidity illuminance irradiance ' +
      'moisture nitrogen_dioxide nitrogen_monoxide nitrous_oxide ozone ph pm1 pm10 pm25 pm4 ' +
      'power power_factor precipitation_intensity pressure radon reactive_power ' +
      'signal_strength sound_pressure speed sulphur_dioxide temperature temperature_delta ' +
      'volatile_organic_compounds volatile_organic_compounds_parts voltage volume_storage ' +
      'volume_flow_rate wind_speed'
    )
      .split(' ')
      .map((dc) => [dc, M]),
  ),
  ...Object.fromEntries(
    ['energy', 'gas', 'reactive_energy', 'volume', 'water'].map((dc) => [dc, TOTALS]),
  ),
  monetary: ['total'],
  weight: ['measurement', ...TOTALS],
  ...Object.fromEntries(
    ['area', 'data_size', 'distance', 'duration', 'precipitation'].map((dc) => [dc, STATE_CLASSES]),
  ),
  wind_direction: ['measurement_angle'],
  ...Object.fromEntries([...NON_NUMERIC_SENSOR_CLASSES].map((dc) => [dc, []])),
};

/** Every sensor device class HA knows (section 4.3 lists each one exactly once). */
export const SENSOR_DEVICE_CLASSES: ReadonlySet<string> = new Set(
  Object.keys(SENSOR_STATE_CLASSES),
);

// Unit sets (sections 4.1, 4.2). `null` in a list means "no unit" is valid for that class.
// The micro prefix is written as U+03BC (Greek mu), HA's canonical form since 2025.9.
const ENERGY = 'J kJ MJ GJ mWh Wh kWh MWh GWh TWh cal kcal Mcal Gcal thm'.split(' ');
const PRESSURE = 'mPa Pa hPa kPa bar cbar mbar mmHg inHg inH₂O psi'.split(' ');
const SPEED = 'Beaufort ft/s in/s m/min m/s km/h kn mph mm/s'.split(' ');
const VOLUMETRIC_FLUX = ['in/d', 'in/h', 'mm/d', 'mm/h'];
const VOLUME = ['mL', 'L', 'm³', 'ft³', 'CCF', 'MCF', 'fl. oz.', 'gal'];
const TEMPERATURE = ['°C', '°F', 'K'];
const UG_M3 = ['μg/m³'];

/** Classes shared by sensor and number (section 4.6: "same sets as 4.1/4.2"). */
const COMMON_UNITS: Record<string, readonly (string | null)[]> = {
  absolute_humidity: ['g/m³', 'mg/m³'],
  apparent_power: ['mVA', 'VA', 'kVA'],
  aqi: [null],
  area: ['m²', 'cm²', 'km²', 'mm²', 'in²', 'ft²', 'yd²', 'mi²', 'ac', 'ha'],
  atmospheric_pressure: PRESSURE,
  battery: ['%'],
  blood_glucose_concentration: ['mg/dL', 'mmol/L'],
  carbon_monoxide: ['ppb', 'ppm', 'mg/m³', 'μg/m³'],
  carbon_dioxide: ['ppm'],
  conductivity: ['S/cm', 'mS/cm', 'μS/cm'],
  current: ['μA', 'mA', 'A'],
  data_rate: 'bit/s kbit/s Mbit/s Gbit/s B/s kB/s MB/s GB/s KiB/s MiB/s GiB/s'.split(' '),
  data_size: 'bit kbit Mbit Gbit B kB MB GB TB PB EB ZB YB KiB MiB GiB TiB PiB EiB ZiB YiB'.split(
    ' ',
  ),
  distance: ['mm', 'cm', 'm', 'km', 'in', 'ft', 'yd', 'mi', 'nmi'],
  duration: ['d', 'h', 'min', 's', 'ms', 'μs'],
  energy: ENERGY,
  energy_distance: ['kWh/100km', 'Wh/km', 'mi/kWh', 'km/kWh'],
  energy_storage: ENERGY,
  frequency: ['mHz', 'Hz', 'kHz', 'MHz', 'GHz'],
  gas: ['L', 'm³', 'ft³', 'CCF', 'MCF'],
  humidity: ['%'],
  illuminance: ['lx'],
  irradiance: ['W/m²', 'BTU/(h⋅ft²)'],
  moisture: ['%'],
  nitrogen_dioxide: ['ppb', 'ppm', 'μg/m³'],
  nitrogen_monoxide: ['ppb', 'μg/m³'],
  nitrous_oxide: UG_M3,
  ozone: ['ppb', 'ppm', 'μg/m³'],
  ph: [null],
  pm1: UG_M3,
  pm25: UG_M3,
  pm10: UG_M3,
  pm4: UG_M3,
  power: ['mW', 'W', 'kW', 'MW', 'GW', 'TW'],
  power_factor: ['%', null],
  precipitation: ['cm', 'mm', 'in'],
  precipitation_intensity: VOLUMETRIC_FLUX,
  pressure: PRESSURE,
  radon: ['Bq/m³', 'pCi/L'],
  reactive_energy: ['varh', 'kvarh'],
  reactive_power: ['mvar', 'var', 'kvar'],
  signal_strength: ['dB', 'dBm'],
  sound_pressure: ['dB', 'dBA'],
  speed: [...SPEED, ...VOLUMETRIC_FLUX],
  sulphur_dioxide: ['ppb', 'μg/m³'],
  temperature: TEMPERATURE,
  temperature_delta: TEMPERATURE,
  volatile_organic_compounds: ['μg/m³', 'mg/m³'],
  volatile_organic_compounds_parts: ['ppm', 'ppb'],
  voltage: ['μV', 'mV', 'V', 'kV', 'MV'],
  volume: VOLUME,
  volume_storage: VOLUME,
  volume_flow_rate: 'm³/h m³/min m³/s L/h L/min L/s mL/s ft³/min gal/min gal/d'.split(' '),
  water: ['L', 'm³', 'ft³', 'CCF', 'MCF', 'gal'],
  weight: ['μg', 'mg', 'g', 'kg', 'oz', 'lb', 'st'],
  wind_direction: ['°'],
  wind_speed: SPEED,
};

/**
 * Sensor `DEVICE_CLASS_UNITS`. Classes absent here (date, enum, timestamp, uptime, monetary)
 * skip the unit check, as in HA (monetary takes any ISO 4217 code).
 */
export const SENSOR_DEVICE_CLASS_UNITS: Readonly<Record<string, readonly (string | null)[]>> =
  COMMON_UNITS;

/** Number `DEVICE_CLASS_UNITS` (section 4.6 lists the same classes and sets as the sensor). */
export const NUMBER_DEVICE_CLASS_UNITS: Readonly<Record<string, readonly (string | null)[]>> =
  COMMON_UNITS;

/**
 * `NumberDeviceClass`: the numeric sensor classes. `monetary` is added although section 4.6
 * omits it, because `NumberDeviceClass.MONETARY` exists in HA's number/const.py (it has no
 * unit set, like the sensor one).
 */
export const NUMBER_DEVICE_CLASSES: ReadonlySet<string> = new Set([
  ...Object.keys(COMMON_UNITS),
  'monetary',
]);

/**
 * Section 4.4: spellings HA 2025.9+ (micro sign) and 2026.x (VAr family) rewrite before the
 * unit check. Only these are accepted in their legacy form; anything else must match exactly.
 */
export const LEGACY_UNIT_SPELLINGS: Readonly<Record<string, string>> = {
  '\u00b5Sv/h': '\u03bcSv/h',
  '\u00b5S/cm': '\u03bcS/cm',
  '\u00b5V': '\u03bcV',
  '\u00b5g/ft³': '\u03bcg/ft³',
  '\u00b5g/m³': '\u03bcg/m³',
  '\u00b5mol/s⋅m²': '\u03bcmol/s⋅m²',
  '\u00b5g': '\u03bcg',
  '\u00b5s': '\u03bcs',
  mVAr: 'mvar',
  VAr: 'var',
  kVAr: 'kvar',
  VArh: 'varh',
  kVArh: 'kvarh',
};
